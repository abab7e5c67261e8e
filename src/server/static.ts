import type { FastifyInstance } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SpiegelError } from '../domain/errors.ts';

const STATIC_DIR = fileURLToPath(new URL('../web/static/', import.meta.url));
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Serves the few static assets from memory; they are small and fixed per release. */
export function registerStaticRoutes(app: FastifyInstance): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(STATIC_DIR)) {
    const ext = name.split('.').pop() ?? '';
    if (TYPES[ext]) files.set(name, { body: readFileSync(STATIC_DIR + name), type: TYPES[ext] });
  }
  app.get<{ Params: { file: string } }>(
    '/static/:file',
    { schema: { hide: true }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      const file = files.get(request.params.file);
      if (!file) throw new SpiegelError('NOT_FOUND');
      return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body);
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, database: { type: 'string' } },
  required: ['status'],
} as const;

export function registerHealthRoutes(app: FastifyInstance): void {
  app.get(
    '/healthz',
    {
      config: { access: { kind: 'public' } },
      schema: { tags: ['health'], summary: 'The process is alive', response: { 200: statusSchema } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { access: { kind: 'public' } },
      schema: { tags: ['health'], summary: 'The database answers', response: { 200: statusSchema } },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(app.ctx.store.db);
      } catch {
        throw new SpiegelError('DATABASE_UNAVAILABLE');
      }
      return { status: 'ok', database: app.ctx.store.dialect };
    },
  );
}

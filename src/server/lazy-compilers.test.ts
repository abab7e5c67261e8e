import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySerializers, lazyValidators } from './lazy-compilers.ts';

function appWithLazyCompilers() {
  const app = Fastify({
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
  });
  app.post(
    '/echo',
    {
      schema: {
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        response: {
          200: { type: 'object', properties: { n: { type: 'integer' } } },
          201: { type: 'object', properties: { created: { type: 'boolean' } } },
        },
      },
    },
    async (request, reply) => {
      const { n } = request.body as { n: number };
      if (n < 0) return reply.code(201).send({ created: true, secret: 'x' });
      return { n, secret: 'not in the schema' };
    },
  );
  return app;
}

describe('lazy route compilers', () => {
  it('validate and serialise exactly as Fastify does, per status code', async () => {
    const app = appWithLazyCompilers();
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { n: 3 } });
    expect(ok.statusCode).toBe(200);
    // The response schema drops what it does not list, as fast-json-stringify does.
    expect(ok.json()).toEqual({ n: 3 });
    const created = await app.inject({ method: 'POST', url: '/echo', payload: { n: -1 } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ created: true });
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 'three' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\/n must be integer/);
    await app.close();
  });

  it('compiles a schema only when it is first used', async () => {
    const app = Fastify({
      schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
    });
    // A schema fast-json-stringify rejects: eager compiling would fail at ready.
    app.get(
      '/broken',
      { schema: { response: { 200: { type: 'object', properties: { a: { $ref: '#/nope' } } } } } },
      async () => ({ a: 1 }),
    );
    await app.ready();
    const first = await app.inject({ method: 'GET', url: '/broken' });
    expect(first.statusCode).toBe(500);
    await app.close();
  });
});

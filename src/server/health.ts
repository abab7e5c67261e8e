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
      // A real test query, not SELECT 1: it takes a pooled connection (so an exhausted pool fails it),
      // reads the tables every login needs under a bounded statement timeout (so a locked or overloaded
      // database fails it) and gets a transaction id (so a read-only or wrapped-around database fails it).
      try {
        await app.ctx.store.db.transaction().execute(async (trx) => {
          if (app.ctx.store.dialect === 'postgres') await sql`SET LOCAL statement_timeout = '2s'`.execute(trx);
          await sql`SELECT (SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) u) AS users,
                           (SELECT count(*) FROM (SELECT 1 FROM staff_sessions LIMIT 1) s) AS sessions,
                           txid_current() AS xid`.execute(trx);
        });
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
        throw new SpiegelError('DATABASE_UNAVAILABLE');
      }
      return { status: 'ok', database: app.ctx.store.dialect };
    },
  );
}

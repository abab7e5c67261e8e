import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../store/testing.ts';
import { testApp } from './testing.ts';

type T = Awaited<ReturnType<typeof testApp>>;

describe.runIf(testDialects().includes('postgres'))('readiness and connection faults [postgres]', () => {
  let t: T;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await testApp('postgres');
    admin = new pg.Client({ connectionString: t.store.url! });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  it('says 503 when the tables logins need cannot be read in time, 200 again afterwards', async () => {
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE staff_sessions IN ACCESS EXCLUSIVE MODE');
    try {
      const res = await t.app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await admin.query('ROLLBACK');
    }
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });

  it('answers 503 DATABASE_UNAVAILABLE to the request whose backend is terminated; the next ones succeed', async () => {
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE staff_sessions IN ACCESS EXCLUSIVE MODE');
    const pending = t.app.inject('/readyz');
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      if (rows[0].n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const res = await pending;
    await admin.query('ROLLBACK');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    for (let i = 0; i < 5; i++) expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });
});

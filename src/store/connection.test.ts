import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, testDialects, TEST_PG_URL } from './testing.ts';
import { isConnectionLost, isReadOnly } from './connection.ts';

type TestStore = Awaited<ReturnType<typeof freshStore>>;

/** Terminates every backend of the store's database running a statement that matches `like`. */
async function terminateWhenRunning(store: TestStore, like: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    const database = new URL(store.url!).pathname.slice(1);
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid()`,
        [database, like],
      );
      if (rows[0].n > 0) return rows[0].n;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return 0;
  } finally {
    await admin.end();
  }
}

describe('connection faults', () => {
  it('tells connection loss from other errors, and reads from writes', () => {
    expect(isConnectionLost({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe(
      true,
    );
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost({ code: '23505', message: 'duplicate key' })).toBe(false);
    expect(isReadOnly('select * from users where id = $1')).toBe(true);
    expect(isReadOnly('/* prepared:x */ with a as (select 1) select * from a')).toBe(true);
    expect(isReadOnly('with a as (insert into t values (1) returning *) select * from a')).toBe(false);
    expect(isReadOnly('select id from jobs for update skip locked')).toBe(false);
    expect(isReadOnly('update users set x = 1')).toBe(false);
  });
});

describe.runIf(testDialects().includes('postgres'))('connection faults [postgres]', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
  });
  afterAll(() => store.drop());

  it('fails only the statement whose backend is terminated, and the pool heals (no unhandled error)', async () => {
    const write = store.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_sleep(5) AS in_tx_sleep`.execute(trx);
    });
    const outcome = write.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(await terminateWhenRunning(store, '%in_tx_sleep%')).toBe(1);
    const error = await outcome;
    expect(isConnectionLost(error)).toBe(true);
    // The pool replaced the connection: every later statement works.
    for (let i = 0; i < 8; i++) {
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db);
      expect(rows[0].one).toBe(1);
    }
  });

  it('retries a read outside a transaction once, on a fresh connection', async () => {
    const read = sql<{ v: number }>`SELECT 7 AS v, pg_sleep(1) AS read_sleep`.execute(store.db);
    expect(await terminateWhenRunning(store, '%read_sleep%')).toBe(1);
    expect((await read).rows[0].v).toBe(7);
  });

  it('does not retry a write outside a transaction', async () => {
    await sql`CREATE TABLE IF NOT EXISTS fault_probe (n int)`.execute(store.db);
    const write = sql`INSERT INTO fault_probe SELECT 1 FROM pg_sleep(5) AS write_sleep`.execute(store.db);
    const outcome = write.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(await terminateWhenRunning(store, '%write_sleep%')).toBe(1);
    expect(isConnectionLost(await outcome)).toBe(true);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM fault_probe`.execute(store.db);
    expect(rows[0].n).toBe(0);
  });
});

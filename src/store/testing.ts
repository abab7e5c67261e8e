import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openStore, type DialectName, type Store } from './database.ts';
import { migrate, type Migration } from './migrate.ts';

// Test support: every store test runs on both databases, as Kysely's own suite loops over dialects.
// SPIEGEL_TEST_DIALECTS picks them (default both); SPIEGEL_TEST_PG_URL names the admin connection
// used to create and drop a fresh database per test file.

export const TEST_PG_URL = process.env.SPIEGEL_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDialects(): DialectName[] {
  const wanted = (process.env.SPIEGEL_TEST_DIALECTS || 'pglite,postgres').split(',').map((s) => s.trim());
  return wanted.filter((d): d is DialectName => d === 'pglite' || d === 'postgres');
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh, migrated database (all migrations, or the ones given). `drop` closes it and, on PostgreSQL,
 * drops the database.
 */
export async function freshStore(
  dialect: DialectName,
  migrations?: Migration[],
): Promise<Store & { drop(): Promise<void>; url: string | null }> {
  if (dialect === 'pglite') {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory' });
    await migrate(store.db, migrations);
    return { ...store, url: null, drop: () => store.close() };
  }
  const name = `spiegel_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = databaseUrl(TEST_PG_URL, name);
  const store = await openStore({ databaseUrl: url, dataDir: 'memory', poolMax: 4 });
  await migrate(store.db, migrations);
  return {
    ...store,
    url,
    drop: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: TEST_PG_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** `describe` once per dialect: `describeEachDialect('alerts', (dialect) => { ... })`. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void): void {
  for (const dialect of testDialects()) describe(`${title} [${dialect}]`, () => body(dialect));
}

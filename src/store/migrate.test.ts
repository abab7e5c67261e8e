import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore, testDialects } from './testing.ts';
import { listMigrations, migrate } from './migrate.ts';
import type { DialectName } from './database.ts';

type Store = Awaited<ReturnType<typeof freshStore>>;

/**
 * The schema as the catalog sees it: tables, columns with types and nullability, indexes, constraints.
 * Newer Postgres (PGlite) also lists NOT NULL as constraints (contype 'n'); nullability is already
 * compared through the columns, so those rows are left out.
 */
async function catalog(store: Store): Promise<string[]> {
  const columns = await sql<{ line: string }>`
    SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`.execute(store.db);
  const indexes = await sql<{ line: string }>`
    SELECT indexname || ' ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`.execute(
    store.db,
  );
  const constraints = await sql<{ line: string }>`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1`.execute(store.db);
  return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => r.line);
}

const schemas = new Map<DialectName, string[]>();

describeEachDialect('migrations', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('applies every migration once and is idempotent', async () => {
    expect(await migrate(store.db)).toEqual([]);
    const rows = await store.db.selectFrom('schema_migrations').select('version').execute();
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    schemas.set(dialect, await catalog(store));
  });

  it('returns count(*) as a number', async () => {
    const row = await store.db
      .selectFrom('schema_migrations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(row.n).toBe(listMigrations().length);
    const big = await sql<{
      total: number;
      ratio: number;
    }>`SELECT 9007199254740991::bigint AS total, 1.25::numeric AS ratio`.execute(store.db);
    expect(big.rows[0]).toEqual({ total: 9007199254740991, ratio: 1.25 });
  });

  it('refuses an applied migration whose file changed', async () => {
    const changed = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await expect(migrate(store.db, changed)).rejects.toThrow(/was changed after it was applied/);
  });
});

if (testDialects().length === 2) {
  it('gives the identical schema on PGlite and PostgreSQL', () => {
    const [a, b] = [schemas.get('pglite'), schemas.get('postgres')];
    expect(a?.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });
}

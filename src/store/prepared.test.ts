import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore } from './testing.ts';
import { preparedMarker, preparedName } from './prepared.ts';

describe('prepared statement names', () => {
  it('names only marked statements, by marker and text', () => {
    expect(preparedName('SELECT 1')).toBeNull();
    const a = preparedName('/* prepared:submit-read */ SELECT $1');
    const b = preparedName('/* prepared:submit-read */ SELECT $1, $2');
    expect(a).toMatch(/^submit-read-[0-9a-f]{12}$/);
    expect(b).toMatch(/^submit-read-[0-9a-f]{12}$/);
    expect(a).not.toBe(b); // two texts never share a name
    expect(preparedName('/* prepared:submit-read */ SELECT $1')).toBe(a);
  });
  it('refuses a name that could break out of the comment', () => {
    expect(() => preparedMarker('x */ DROP TABLE y; /*')).toThrow('invalid prepared statement name');
  });
});

describeEachDialect('prepared statements', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());

  it('runs marked statements with their parameters, prepared once per connection on PostgreSQL', async () => {
    const probe = (n: number) =>
      sql<{ x: number }>`${preparedMarker('probe')} SELECT ${n}::int + 1 AS x`.execute(store.db);
    const results = [];
    for (let i = 0; i < 8; i++) results.push((await probe(i)).rows[0].x);
    expect(results).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    if (dialect !== 'postgres') return;
    // Every pooled connection that ran it holds it once; unmarked statements are never prepared.
    await sql`SELECT 1`.execute(store.db);
    const held = await store.db.connection().execute(async (db) => {
      await probe(0);
      return sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(db);
    });
    expect(held.rows).toHaveLength(1);
    expect(held.rows[0].name).toMatch(/^probe-[0-9a-f]{12}$/);
    expect(held.rows[0].statement).toContain('/* prepared:probe */');
  });
});

/**
 * What the embedded database's thread (decision 0038) costs a query: sequential round trips through
 * PGliteThread next to the same queries on PGlite in this thread, in the same run.
 *   npm run bench -- pglite-thread [--queries 3000]
 * Figures: microseconds per query for a primary-key SELECT and for a 100-row SELECT.
 */
import { PGlite } from '@electric-sql/pglite';
import { parseArgs } from 'node:util';
import { PGliteThread } from '../src/store/pglite-thread.ts';
import { report } from './_report.ts';

const { values } = parseArgs({ options: { queries: { type: 'string', default: '3000' } } });
const queries = Number(values.queries);
type Query = (sql: string, params: unknown[]) => Promise<unknown>;

async function perQuery(query: Query, sql: string, params: (i: number) => unknown[]): Promise<number> {
  for (let i = 0; i < 200; i++) await query(sql, params(i)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < queries; i++) await query(sql, params(i));
  return ((performance.now() - t0) / queries) * 1000;
}

const SETUP = [
  'CREATE TABLE t (id int PRIMARY KEY, v text)',
  'INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g',
];
const inProcess = new PGlite();
const thread = new PGliteThread(null, []);
await Promise.all([inProcess.waitReady, thread.waitReady]);
for (const statement of SETUP) {
  await inProcess.query(statement);
  await thread.query(statement);
}
const direct: Query = (sql, params) => inProcess.query(sql, params, { rowMode: 'object' });
const threaded: Query = (sql, params) => thread.query(sql, params, { rowMode: 'object' });
const cases = [
  { metric: 'select_by_key_us', sql: 'SELECT * FROM t WHERE id = $1', params: (i: number) => [(i % 1000) + 1] },
  { metric: 'select_100_rows_us', sql: 'SELECT * FROM t ORDER BY id LIMIT 100', params: () => [] },
];
for (const c of cases) {
  const anchor = await perQuery(direct, c.sql, c.params);
  const value = await perQuery(threaded, c.sql, c.params);
  report({
    bench: 'pglite-thread',
    metric: c.metric,
    value,
    unit: 'µs',
    anchor: 'PGlite on the calling thread',
    anchor_value: anchor,
    queries,
  });
}
await Promise.all([inProcess.close(), thread.close()]);

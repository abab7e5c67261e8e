import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';

// Parsing and planning are about a third of PostgreSQL's CPU on the client-form submit, the hottest
// path of the product. Statements marked with `preparedMarker(name)` run as named prepared statements
// on PostgreSQL: each pooled connection parses them once and may reuse a generic plan. Only marked
// statements are prepared, so the number per connection stays small and known. On PGlite the marker
// is just a comment.

const MARKER = /\/\* prepared:([a-z0-9-]+) \*\//;

/** A SQL comment that makes the statement containing it a named prepared statement on PostgreSQL. */
export function preparedMarker(name: string): RawBuilder<unknown> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid prepared statement name: ${name}`);
  return sql.raw(`/* prepared:${name} */`);
}

const names = new Map<string, string | null>();

/** The statement name for a query text: the marker's name plus a hash of the text, or null if unmarked. */
export function preparedName(text: string): string | null {
  let name = names.get(text);
  if (name === undefined) {
    const match = MARKER.exec(text);
    // The hash keeps two different texts from ever sharing a name on one connection.
    name = match ? `${match[1]}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}` : null;
    if (match) names.set(text, name); // only marked texts are remembered, so the map stays small
  }
  return name;
}

const patched = new WeakSet<pg.PoolClient>();

/** Makes a pooled client run marked statements as named prepared statements (once per client). */
export function preparingClient(client: pg.PoolClient): pg.PoolClient {
  if (patched.has(client)) return client;
  patched.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 ? preparedName(text) : null;
    return name ? query({ name, text, values }) : query(...args);
  };
  return client;
}

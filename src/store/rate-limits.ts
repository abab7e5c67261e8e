import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Fixed-window request counters shared by every app instance (issue 21). One atomic upsert per
 * request: a new or expired key starts a window of `windowMs` at 1, a live one counts up. Returns the
 * count and the milliseconds left in the window.
 */
export async function hitRateLimit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
): Promise<{ current: number; ttl: number }> {
  const result = await sql<{ count: number; ttl: number | string }>`
    INSERT INTO rate_limits AS r (key, count, reset_at)
    VALUES (${key}, 1, clock_timestamp() + ${windowMs} * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.reset_at <= clock_timestamp() THEN 1 ELSE r.count + 1 END,
      reset_at = CASE WHEN r.reset_at <= clock_timestamp()
        THEN clock_timestamp() + ${windowMs} * interval '1 millisecond' ELSE r.reset_at END
    RETURNING count, ceil(extract(epoch FROM (reset_at - clock_timestamp())) * 1000) AS ttl`.execute(db);
  const row = result.rows[0];
  return { current: Number(row.count), ttl: Math.max(0, Number(row.ttl)) };
}

/** The counter of a key without counting (0 when none is running). */
export async function readRateLimit(db: Kysely<Database>, key: string): Promise<{ current: number; ttl: number }> {
  const result = await sql<{ count: number; ttl: number | string }>`
    SELECT count, ceil(extract(epoch FROM (reset_at - clock_timestamp())) * 1000) AS ttl
    FROM rate_limits WHERE key = ${key} AND reset_at > clock_timestamp()`.execute(db);
  const row = result.rows[0];
  return row ? { current: Number(row.count), ttl: Math.max(0, Number(row.ttl)) } : { current: 0, ttl: 0 };
}

/** Deletes windows that ended more than a minute ago; returns how many. */
export async function pruneRateLimits(db: Kysely<Database>): Promise<number> {
  const result = await sql`DELETE FROM rate_limits WHERE reset_at < clock_timestamp() - interval '1 minute'`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { join } from 'node:path';
import { SpiegelError } from '../domain/errors.ts';
import type { Database } from './schema.ts';
import { lockDataDir } from './lock.ts';
import { healingPool } from './connection.ts';
import { PGliteThread } from './pglite-thread.ts';
import { typeParsers } from './type-parsers.ts';

export type DialectName = 'pglite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The embedded engine in its thread, for data-directory dumps and WAL scrubbing (PGlite only). */
  pglite: PGliteThread | null;
  /** Flushes to disk (CHECKPOINT) and closes; releases the data-directory lock. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL; when null, PGlite is used. */
  databaseUrl: string | null;
  /** PGlite data directory root; `memory` gives a throw-away in-memory database (tests). */
  dataDir: string | 'memory';
  poolMax?: number;
}

/** Opens the database: PostgreSQL when a URL is given, else PGlite in the data directory. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolMax ?? 10);
  return openPglite(options.dataDir);
}

// Kysely (some 250 files) and pg load inside the open functions, not with this module: PGlite can then
// start opening at once, and Kysely loads while it does (startServer in src/server/serve.ts).
async function openPostgres(url: string, max: number): Promise<Store> {
  const [{ default: pg }, { Kysely, PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpiegelError('DATABASE_UNAVAILABLE', `Cannot connect to PostgreSQL at ${redact(url)}: ${reason}`);
  }
  // Kysely takes connections through this: each survives connection loss and prepares marked statements.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: healingPool(pool) }) });
  return {
    db,
    dialect: 'postgres',
    pglite: null,
    close: async () => {
      await db.destroy();
    },
  };
}

// PGlite zeroes Postgres's shared memory with a WebAssembly memset at every start: with the default
// 128 MB of shared buffers that was 145 MB and a third of a second. 32 MB (4,096 pages) is ample for an
// embedded practice database; larger installations use PostgreSQL (decision 0037).
const PGLITE_START_PARAMS = ['-c', 'shared_buffers=32MB'];

async function openPglite(dataDir: string): Promise<Store> {
  const inMemory = dataDir === 'memory';
  const release = inMemory ? () => undefined : lockDataDir(dataDir);
  const loadingKysely = import('kysely');
  let pglite: PGliteThread;
  try {
    pglite = new PGliteThread(inMemory ? null : join(dataDir, 'pgdata'), PGLITE_START_PARAMS);
    await pglite.waitReady;
  } catch (error) {
    release();
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpiegelError('DATABASE_UNAVAILABLE', `Cannot open the embedded database in ${dataDir}: ${reason}`);
  }
  const { Kysely, PGliteDialect, sql } = await loadingKysely;
  // The thread offers the part of PGlite's interface that the dialect calls (query, transaction, close).
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: pglite as unknown as PGlite }) });
  return {
    db,
    dialect: 'pglite',
    pglite,
    close: async () => {
      try {
        if (!pglite.closed) await sql`CHECKPOINT`.execute(db);
        await db.destroy();
      } finally {
        release();
      }
    },
  };
}

export function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

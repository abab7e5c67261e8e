import type pg from 'pg';
import { preparingClient } from './prepared.ts';

// A PostgreSQL connection can be lost at any moment: a failover, a restart, pg_terminate_backend or a
// pgbouncer restart. Such a fault must fail only the request that used the connection, never the
// process, and the pool must replace the connection. A read outside a transaction is retried once on
// a fresh connection, because running it again changes nothing.

/** SQLSTATEs and driver messages that mean the connection (not the statement) failed. */
const LOST_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300']);
const LOST_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|ECONNRESET|ECONNREFUSED|EPIPE|Client has encountered a connection error|Client was closed|not queryable|Connection ended/i;

/** Whether an error means the database connection was lost or could not be made. */
export function isConnectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (LOST_STATES.has(e.code) || LOST_MESSAGES.test(e.code))) return true;
  return typeof e.message === 'string' && LOST_MESSAGES.test(e.message);
}

/** A statement that only reads, so running it twice is harmless. */
export function isReadOnly(text: string): boolean {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '').trimStart();
  if (!/^(select|with)\b/i.test(body)) return false;
  return !/\b(insert|update|delete|merge|nextval|setval|pg_advisory\w*|pg_terminate_backend|set_config)\b|\bfor\s+(no\s+key\s+)?update\b|\bfor\s+share\b/i.test(
    body,
  );
}

const listened = new WeakSet<pg.PoolClient>();

/** A pooled client whose connection errors never reach the process as an unhandled 'error' event. */
function guarded(client: pg.PoolClient): pg.PoolClient {
  if (!listened.has(client)) {
    listened.add(client);
    // pg emits 'error' on a checked-out client whose connection dies; unhandled, it ends the process.
    // The query in flight rejects with the same error, so the request still learns of it.
    client.on('error', () => undefined);
  }
  return preparingClient(client);
}

type Queryable = { _queryable?: boolean; _ending?: boolean };

/**
 * What Kysely's PostgresDriver takes as a client: query() and release(). Tracks whether a transaction
 * is open, so only a read outside one is retried; a lost connection is always dropped from the pool.
 */
class HealingClient {
  private inTransaction = false;

  constructor(
    private readonly pool: pg.Pool,
    private client: pg.PoolClient,
  ) {}

  get processID(): number | undefined {
    return (this.client as unknown as { processID?: number }).processID;
  }

  async query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    const command = /^\s*(begin|start\s+transaction|commit|rollback|end)\b/i.exec(text)?.[1]?.toLowerCase();
    try {
      const result = await this.client.query(text, values);
      if (command === 'begin' || command?.startsWith('start')) this.inTransaction = true;
      else if (command) this.inTransaction = false;
      return result;
    } catch (error) {
      if (command && command !== 'begin' && !command.startsWith('start')) this.inTransaction = false;
      if (!isConnectionLost(error) || this.inTransaction || !isReadOnly(text)) throw error;
      this.client.release(error as Error);
      this.client = guarded(await this.pool.connect());
      return this.client.query(text, values);
    }
  }

  release(discard?: boolean | Error): void {
    const broken = !(this.client as unknown as Queryable)._queryable || (this.client as unknown as Queryable)._ending;
    this.client.release(discard || broken ? new Error('connection discarded') : undefined);
  }
}

/** The pool as Kysely sees it: every connection guarded, healing and preparing. */
export function healingPool(pool: pg.Pool) {
  return {
    connect: async () => new HealingClient(pool, guarded(await pool.connect())) as unknown as pg.PoolClient,
    end: () => pool.end(),
    options: pool.options,
  };
}

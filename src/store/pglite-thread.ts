import { Worker } from 'node:worker_threads';
import type { EngineReply, EngineRequest } from './pglite-protocol.ts';

interface QueryResult {
  rows: unknown[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

type Queryable = {
  query<T>(sql: string, params?: unknown[], options?: Record<string, unknown>): Promise<QueryResult & { rows: T[] }>;
};

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Request = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

// From src/ the worker is TypeScript, whose types Node strips (by default from 22.18; 22.12-22.17 need the
// flag); from the build it is dist/store/pglite-worker.js.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./pglite-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
const WORKER_EXEC_ARGV =
  FROM_SOURCE && !process.features.typescript ? [...process.execArgv, '--experimental-strip-types'] : undefined;

/**
 * PGlite in its own thread (pglite-worker.ts), with the part of PGlite's interface that Kysely's
 * PGliteDialect and Spiegel use: query, transaction, dumpDataDir, close. Postgres's WebAssembly then runs
 * beside the main thread instead of on it: a server start loads its modules while Postgres starts, and
 * request handling goes on while a query runs (decision 0038).
 */
export class PGliteThread implements Queryable {
  readonly waitReady: Promise<void>;
  ready = false;
  closed = false;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #nextTx = 1;
  #failure: Error | null = null;

  constructor(dataDir: string | null, startParams: string[]) {
    this.#worker = new Worker(WORKER_URL, { workerData: { dataDir, startParams }, execArgv: WORKER_EXEC_ARGV });
    this.#worker.on('message', (reply: EngineReply) => this.#settle(reply));
    // A thread that dies (out of memory, a crash in Postgres) fails every query from then on.
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the embedded database thread exited (${code})`)));
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.#pending.set(0, { resolve: () => resolve(), reject });
    }).then(() => {
      this.ready = true;
    });
    this.#worker.ref();
  }

  query<T>(sql: string, params?: unknown[], options?: Record<string, unknown>): Promise<QueryResult & { rows: T[] }> {
    return this.#call({ op: 'query', sql, params, options }) as Promise<QueryResult & { rows: T[] }>;
  }

  /** As PGlite's: the callback's queries run in one transaction, committed when it returns. */
  async transaction<T>(callback: (tx: Queryable) => Promise<T>): Promise<T> {
    const txId = this.#nextTx++;
    await this.#call({ op: 'begin', txId });
    const tx: Queryable = {
      query: <R>(sql: string, params?: unknown[], options?: Record<string, unknown>) =>
        this.#call({ op: 'query', sql, params, options, txId }) as Promise<QueryResult & { rows: R[] }>,
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      await this.#call({ op: 'end', txId, commit: false });
      throw error;
    }
    await this.#call({ op: 'end', txId, commit: true });
    return result;
  }

  dumpDataDir(compression: 'gzip' | 'none' | 'auto' = 'auto'): Promise<Blob> {
    return this.#call({ op: 'dump', compression }) as Promise<Blob>;
  }

  /** Overwrites with zeros every WAL segment in `dir`/pg_wal except `keep` (GDPR erasure); returns how many. */
  zeroWalSegments(dir: string, keep: string): Promise<number> {
    return this.#call({ op: 'zeroWal', dir, keep }) as Promise<number>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.#failure) await this.#call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.#worker.terminate();
    }
  }

  #call(request: Request): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.closed) return Promise.reject(new Error('PGlite is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // The thread keeps the process alive only while it owes an answer: an idle store must not hold
      // a finished command open, and a pending query must not let the process end under it.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(reply: EngineReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(asError(reply.error));
  }

  #fail(error: Error): void {
    if (this.closed) return;
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    this.#worker.unref();
  }
}

/** The thread's error as an Error again, with Postgres's fields (code, constraint, …) for callers to read. */
function asError(fields: Record<string, unknown>): Error {
  const { message, stack, name, ...rest } = fields;
  const error = Object.assign(new Error(String(message)), rest);
  if (typeof name === 'string') error.name = name;
  if (typeof stack === 'string') error.stack = stack;
  return error;
}

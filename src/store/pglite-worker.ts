// The embedded database's own thread (started by pglite-thread.ts). PGlite runs Postgres as WebAssembly on
// the thread that calls it; here that is not the main thread, so a server start loads and builds the app
// while Postgres starts, and requests are parsed while queries run. Kept to erasable TypeScript so that
// Node runs it from the sources too (tests, `npm run dev`).
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { typeParsers } from './type-parsers.ts';
import type { EngineReply, EngineRequest } from './pglite-protocol.ts';

const port = parentPort!;
const { dataDir, startParams } = workerData as { dataDir: string | null; startParams: string[] };
const options = { parsers: typeParsers, startParams: [...PGlite.defaultStartParams, ...startParams] };
const pglite = dataDir === null ? new PGlite(options) : new PGlite(dataDir, options);

interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  closed: Promise<unknown>;
}
const transactions = new Map<number, OpenTransaction>();

/** An error as plain data: its message, stack and Postgres fields (code, detail, constraint, …). */
function plainError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    try {
      structuredClone(value);
      fields[key] = value;
    } catch {
      // A field that cannot cross threads (none of Postgres's) is left behind.
    }
  }
  return fields;
}

function begin(txId: number): Promise<void> {
  return new Promise((begun, failed) => {
    let finish!: (commit: boolean) => void;
    const decided = new Promise<void>((commit, rollback) => {
      finish = (yes) => (yes ? commit() : rollback(new Error('rollback')));
    });
    const closed = pglite.transaction(async (tx) => {
      transactions.set(txId, { tx, finish, closed });
      begun();
      await decided;
    });
    closed.catch(failed); // before the callback ran: BEGIN itself failed
  });
}

async function end(txId: number, commit: boolean): Promise<void> {
  const open = transactions.get(txId);
  if (!open) throw new Error(`no open transaction ${txId}`);
  transactions.delete(txId);
  open.finish(commit);
  try {
    await open.closed;
  } catch (error) {
    if (commit) throw error; // a rollback asked for ends in the rejection it was given
  }
}

async function run(request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const target = request.txId === undefined ? pglite : transactions.get(request.txId)?.tx;
      if (!target) throw new Error(`no open transaction ${request.txId}`);
      const { rows, affectedRows, fields } = await target.query(request.sql, request.params, request.options);
      return { rows, affectedRows, fields };
    }
    case 'begin':
      return begin(request.txId);
    case 'end':
      return end(request.txId, request.commit);
    case 'dump':
      return pglite.dumpDataDir(request.compression);
    case 'zeroWal': {
      // PostgreSQL keeps old WAL segments for reuse with their old bytes: overwrite all but the current one.
      const fs = (pglite as unknown as { mod: { FS: WalFs } }).mod.FS;
      let zeroed = 0;
      for (const file of fs.readdir(`${request.dir}/pg_wal`)) {
        if (!/^[0-9A-F]{24}$/.test(file) || file === request.keep) continue;
        const path = `${request.dir}/pg_wal/${file}`;
        fs.writeFile(path, new Uint8Array(fs.stat(path).size));
        zeroed++;
      }
      return zeroed;
    }
    case 'close':
      if (!pglite.closed) await pglite.close();
      return undefined;
  }
}

interface WalFs {
  readdir(path: string): string[];
  stat(path: string): { size: number };
  writeFile(path: string, data: Uint8Array): void;
}

port.on('message', (request: EngineRequest) => {
  run(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies EngineReply),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: plainError(error) } satisfies EngineReply),
  );
});

pglite.waitReady.then(
  () => port.postMessage({ id: 0, ok: true, value: null } satisfies EngineReply),
  (error: unknown) => port.postMessage({ id: 0, ok: false, error: plainError(error) } satisfies EngineReply),
);

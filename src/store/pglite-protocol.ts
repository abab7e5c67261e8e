// Messages between the main thread (pglite-thread.ts) and the embedded database's thread (pglite-worker.ts).
// Reply 0 answers the start.
export type EngineRequest = { id: number } & (
  | { op: 'query'; sql: string; params?: unknown[]; options?: Record<string, unknown>; txId?: number }
  | { op: 'begin'; txId: number }
  | { op: 'end'; txId: number; commit: boolean }
  | { op: 'dump'; compression: 'gzip' | 'none' | 'auto' }
  | { op: 'zeroWal'; dir: string; keep: string }
  | { op: 'close' }
);

export type EngineReply = { id: number } & (
  { ok: true; value: unknown } | { ok: false; error: Record<string, unknown> }
);

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PGliteThread } from './pglite-thread.ts';

const execFileAsync = promisify(execFile);

describe('PGlite in its own thread', () => {
  it('answers queries with the shared type parsers, and carries Postgres error fields back', async () => {
    const db = new PGliteThread(null, []);
    await db.waitReady;
    expect(db.ready).toBe(true);
    await db.query('CREATE TABLE t (id int PRIMARY KEY, n bigint, x numeric, at timestamptz)');
    const inserted = await db.query("INSERT INTO t VALUES (1, 42, 1.5, '2026-01-02T03:04:05Z')");
    expect(inserted.affectedRows).toBe(1);
    const { rows } = await db.query<{ n: number; x: number; at: Date }>('SELECT n, x, at FROM t', [], {
      rowMode: 'object',
    });
    expect(rows).toEqual([{ n: 42, x: 1.5, at: new Date('2026-01-02T03:04:05Z') }]);
    const duplicate = await db.query('INSERT INTO t (id) VALUES (1)').catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 't_pkey' });
    await db.close();
    expect(db.closed).toBe(true);
    await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('commits a transaction whose callback returns and rolls back one that throws', async () => {
    const db = new PGliteThread(null, []);
    await db.waitReady;
    await db.query('CREATE TABLE t (id int PRIMARY KEY)');
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1)');
      return 'done';
    });
    expect(result).toBe('done');
    const failed = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2)');
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    // A query outside waits for the open transaction, as on PGlite itself.
    const { rows } = await db.query<{ id: number }>('SELECT id FROM t ORDER BY id', [], { rowMode: 'object' });
    expect(rows).toEqual([{ id: 1 }]);
    const dump = await db.dumpDataDir('gzip');
    expect(dump.size).toBeGreaterThan(1000);
    await db.close();
  });

  it('lets a finished script exit, and keeps it alive while a query is pending', async () => {
    // An open store with no pending query must not hold the process; the pending query must finish first.
    const dir = mkdtempSync(join(tmpdir(), 'pglite-thread-'));
    const script = join(dir, 'script.mjs');
    writeFileSync(
      script,
      `import { PGliteThread } from ${JSON.stringify(new URL('./pglite-thread.ts', import.meta.url).href)};
      const db = new PGliteThread(null, []);
      await db.waitReady;
      db.query('SELECT pg_sleep(0.2), 7 AS n', [], { rowMode: 'object' }).then((r) => console.log('n=' + r.rows[0].n));`,
    );
    try {
      const { stdout } = await execFileAsync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
      expect(stdout.trim()).toBe('n=7');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

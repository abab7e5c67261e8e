import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from './database.ts';

const writer = new URL('./durability-writer.ts', import.meta.url).pathname;

describe('PGlite durability', () => {
  it('loses no committed row when the process is killed with SIGKILL during writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spiegel-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acknowledged = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        const ids = chunk.toString().trim().split('\n').map(Number).filter(Number.isFinite);
        if (ids.length) acknowledged = Math.max(acknowledged, ...ids);
      });
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (acknowledged >= 150) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      await new Promise((resolve) => child.once('exit', resolve));
      // The stale lock of the killed process is taken over; every acknowledged row must be there.
      const store = await openStore({ databaseUrl: null, dataDir: dir });
      const { rows } = await sql<{
        n: number;
        max: number;
      }>`SELECT count(*) AS n, max(id) AS max FROM durability`.execute(store.db);
      await store.close();
      expect(rows[0].max).toBeGreaterThanOrEqual(acknowledged);
      expect(rows[0].n).toBe(rows[0].max);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second process on the same data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spiegel-lock-'));
    try {
      const first = await openStore({ databaseUrl: null, dataDir: dir });
      const child = spawn(process.execPath, ['bin/spiegel.js', 'migrate'], {
        env: { ...process.env, SPIEGEL_DATA_DIR: dir, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      await first.close();
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(
        `spiegel migrate: DATA_DIR_LOCKED: The data directory ${dir} is in use by another Spiegel process (pid ${process.pid}).`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

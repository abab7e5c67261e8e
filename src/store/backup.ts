import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import { lockDataDir } from './lock.ts';
import { openStore, redact } from './database.ts';

// Backups: PostgreSQL through pg_dump/pg_restore (custom format); PGlite through its own
// data-directory dump (a gzipped tar). The file's first bytes tell which kind it is.

const PG_MAGIC = 'PGDMP';
const GZIP_MAGIC = [0x1f, 0x8b];

function kindOf(file: string): 'postgres' | 'pglite' | 'unknown' {
  const head = readFileSync(file).subarray(0, 5);
  if (head.toString('latin1') === PG_MAGIC) return 'postgres';
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'pglite';
  return 'unknown';
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new SpiegelError(
      'BACKUP_FAILED',
      `${command} was not found. Install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or see docs/operations.md for a plain SQL dump.`,
    );
  }
  if (result.status !== 0) {
    throw new SpiegelError(
      'BACKUP_FAILED',
      `${command} failed: ${(result.stderr || '').trim().split('\n').slice(-1)[0] ?? 'unknown error'}`,
    );
  }
}

export async function backup(options: { databaseUrl: string | null; dataDir: string }, file: string): Promise<string> {
  if (options.databaseUrl) {
    run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${options.databaseUrl}`]);
    return `PostgreSQL database ${redact(options.databaseUrl)} written to ${file} (${statSync(file).size} bytes).`;
  }
  const store = await openStore({ databaseUrl: null, dataDir: options.dataDir });
  try {
    await sql`CHECKPOINT`.execute(store.db);
    const dump = await store.pglite!.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await store.close();
  }
  return `PGlite data directory ${options.dataDir} written to ${file} (${statSync(file).size} bytes).`;
}

export async function restore(options: { databaseUrl: string | null; dataDir: string }, file: string): Promise<string> {
  if (!existsSync(file)) throw new SpiegelError('FILE_UNREADABLE', `The backup file ${file} does not exist.`);
  const kind = kindOf(file);
  if (options.databaseUrl) {
    if (kind !== 'postgres')
      throw new SpiegelError(
        'BACKUP_FAILED',
        `${file} is not a PostgreSQL backup made by spiegel backup (pg_dump custom format).`,
      );
    run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      `--dbname=${options.databaseUrl}`,
      file,
    ]);
    return `Restored ${file} into ${redact(options.databaseUrl)}.`;
  }
  if (kind !== 'pglite')
    throw new SpiegelError(
      'BACKUP_FAILED',
      `${file} is not a PGlite backup made by spiegel backup (gzipped data directory).`,
    );
  const release = lockDataDir(options.dataDir);
  const target = join(options.dataDir, 'pgdata');
  const staging = join(options.dataDir, `pgdata.restoring`);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(options.dataDir, { recursive: true });
    // Load into a staging directory first; the live data is replaced only once that succeeded.
    const pglite = new PGlite(staging, { loadDataDir: new Blob([readFileSync(file)]) });
    await pglite.waitReady;
    await pglite.query('CHECKPOINT');
    await pglite.close();
    const previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
    return `Restored ${file} into ${options.dataDir}${existsSync(previous) ? ` (the previous data is kept in ${previous})` : ''}.`;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof SpiegelError) throw error;
    throw new SpiegelError('BACKUP_FAILED', `Restoring ${file} failed: ${(error as Error).message}`);
  } finally {
    release();
  }
}

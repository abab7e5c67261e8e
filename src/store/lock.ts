import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SpiegelError } from '../domain/errors.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes exclusive ownership of a PGlite data directory. PGlite has no inter-process locking of its
 * own, so two processes on one directory would corrupt it; a lock file created with O_EXCL prevents
 * that. A lock left by a process that no longer exists (after kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'spiegel.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new SpiegelError(
          'DATA_DIR_LOCKED',
          `The data directory ${dataDir} is in use by another Spiegel process (pid ${owner}). Stop it first, or set SPIEGEL_DATA_DIR to another directory.`,
          { pid: owner },
        );
      }
      rmSync(path, { force: true }); // stale lock from a process that died
    }
  }
  throw new SpiegelError('DATA_DIR_LOCKED', `Could not lock the data directory ${dataDir}.`);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

// Starts one real Spiegel server (as `npm start` would, in demo mode, on a fresh PGlite directory with the demo
// organisation) for all browser tests, and stops it afterwards.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let child: ChildProcess | null = null;
let dataDir = '';

export default async function setup(project: TestProject) {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'spiegel-e2e-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    SPIEGEL_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SPIEGEL_LOGIN_RATE_PER_MINUTE: '1000',
  };
  if (process.env.SPIEGEL_E2E_DATABASE_URL) env.DATABASE_URL = process.env.SPIEGEL_E2E_DATABASE_URL;
  else delete env.DATABASE_URL;
  child = spawn(process.execPath, ['bin/spiegel.js', 'serve', '--demo'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  // A busy shared machine may need longer to load the demo: SPIEGEL_E2E_READY_SECONDS (default 120).
  const deadline = Date.now() + Number(process.env.SPIEGEL_E2E_READY_SECONDS ?? 120) * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Spiegel exited during start:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) throw new Error(`Spiegel did not become ready:\n${output}`);
  project.provide('baseUrl', url);
  return async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

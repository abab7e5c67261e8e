import { randomBytes } from 'node:crypto';
/**
 * Shared helpers for the HTTP benchmarks (form-weight, submit-load, submit-malformed, caseload):
 * a throw-away PostgreSQL database, a Spiegel server in a child process, a keep-alive HTTP client
 * with a cookie jar and CSRF handling, and a bounded load driver. Traffic goes to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import http from 'node:http';
import inspector from 'node:inspector';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PG_ADMIN_URL = process.env.SPIEGEL_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEMO_THERAPIST = 'therapeut@demo.spiegel.test';
export const DEMO_PASSWORD = 'spiegel-demo-2026';

/** Reads `--name value` from the command line. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
}
export const flag = (name: string): boolean => process.argv.slice(2).includes(`--${name}`);

export function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a fresh database per run, dropped afterwards (unless --keep).

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs `run` on a fresh connection to `url` and closes it, whatever happens. */
export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await withClient(PG_ADMIN_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return pgUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await withClient(PG_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function databaseExists(name: string): Promise<boolean> {
  return withClient(
    PG_ADMIN_URL,
    async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

// ---------------------------------------------------------------------------------------------
// The server under test, in its own process (as `npm start` runs it), so the load generator does
// not share its event loop.

export async function freePort(): Promise<number> {
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

export interface BenchServer {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `spiegel serve` on a free port. With `databaseUrl` it runs on PostgreSQL, otherwise on
 * PGlite in a temporary directory (removed on stop). `demo` passes --demo-if-empty.
 */
export async function startServerProcess(
  options: { databaseUrl?: string; demo?: boolean; env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'spiegel-bench-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: '127.0.0.1',
    SPIEGEL_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SPIEGEL_SHUTDOWN_GRACE_MS: '2000',
    // Outside demo mode the server refuses to start without a journal key; a throw-away one will do.
    SPIEGEL_JOURNAL_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  // Diagnostic: extra node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // (node refuses --cpu-prof in NODE_OPTIONS, and the bench process should not be profiled anyway).
  const nodeArgs = process.env.SPIEGEL_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, join(ROOT, 'bin/spiegel.js'), 'serve', ...(options.demo ? ['--demo-if-empty'] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  // Diagnostic: the server's whole output in a file (with --trace-gc in SPIEGEL_BENCH_SERVER_NODE_ARGS, say).
  const logFile = process.env.SPIEGEL_BENCH_SERVER_LOG;
  if (logFile) child.stdout!.on('data', (chunk) => appendFileSync(logFile, chunk));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  let ready = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) {
        ready = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    // A child killed by a signal (a durability bench's SIGKILL) has no exit code but has exited: waiting
    // for its 'exit' again would never end.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    throw new Error(`Spiegel did not become ready:\n${output}`);
  }
  return { url, pid: child.pid!, child, output: () => output, stop };
}

// ---------------------------------------------------------------------------------------------
// HTTP: keep-alive agent, cookie jar, CSRF.

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Bytes of the body as received (compressed when the server compressed it). */
  bytes: number;
  ms: number;
}

export class HttpClient {
  readonly agent: http.Agent;
  cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    maxSockets = 8,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(
    method: string,
    path: string,
    options: {
      headers?: Record<string, string>;
      body?: string | Buffer;
      timeoutMs?: number;
      useCookies?: boolean;
    } = {},
  ): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
      throw new Error(`refusing non-local request to ${url.hostname}`);
    const headers: Record<string, string> = { ...options.headers };
    if (options.useCookies !== false && this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { method, host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (options.useCookies !== false) {
              for (const c of res.headers['set-cookie'] ?? []) {
                const [pair, ...attrs] = c.split(';');
                const eq = pair.indexOf('=');
                const name = pair.slice(0, eq).trim();
                const value = pair.slice(eq + 1).trim();
                const expired =
                  attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date()) || value === '';
                if (expired) this.cookies.delete(name);
                else this.cookies.set(name, value);
              }
            }
            const raw = Buffer.concat(chunks);
            const ms = performance.now() - started; // the answer is in; decoding it is the client's own work
            const encoding = res.headers['content-encoding'];
            const body =
              encoding === 'br'
                ? brotliDecompressSync(raw)
                : encoding === 'gzip'
                  ? gunzipSync(raw)
                  : encoding === 'deflate'
                    ? inflateSync(raw)
                    : raw;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: body.toString('utf8'),
              bytes: raw.length,
              ms,
            });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout ${method} ${path}`)));
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  }

  /** A page's CSRF token (hidden `_csrf` field or the `csrf-token` meta tag). */
  async csrf(path: string): Promise<string> {
    const res = await this.request('GET', path, { headers: { accept: 'text/html' } });
    const match = /name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"/.exec(res.body);
    if (!match) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
    return match[1] ?? match[2];
  }

  /** Logs in through the /login form with its CSRF token; returns a CSRF token for API calls. */
  async login(email: string, password: string): Promise<string> {
    const token = await this.csrf('/login');
    const res = await this.request('POST', '/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ email, password, _csrf: token }).toString(),
    });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status} ${res.body.slice(0, 200)}`);
    return this.csrf('/app');
  }

  async json<T = unknown>(
    method: string,
    path: string,
    body: unknown,
    csrf: string,
  ): Promise<{ status: number; data: T }> {
    const res = await this.request(method, path, {
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, data: (res.body ? JSON.parse(res.body) : null) as T };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Creates an invitation for the first participant of an episode through the therapist API. */
export async function inviteThroughApi(
  client: HttpClient,
  csrf: string,
  episodeId: string,
  input: Record<string, unknown> = {},
): Promise<{ id: string; url: string; token: string }> {
  const episode = await client.json<{ participants: Array<{ id: string }> }>(
    'GET',
    `/api/episodes/${episodeId}`,
    undefined,
    csrf,
  );
  if (episode.status !== 200) throw new Error(`GET episode ${episodeId}: ${episode.status}`);
  const res = await client.json<{ id: string; url: string }>(
    'POST',
    `/api/episodes/${episodeId}/invitations`,
    { participantId: episode.data.participants[0].id, instrumentIds: ['phq9', 'spiegel-alliance'], ...input },
    csrf,
  );
  if (res.status !== 201) throw new Error(`POST invitation: ${res.status} ${JSON.stringify(res.data)}`);
  return { id: res.data.id, url: res.data.url, token: res.data.url.split('/m/')[1] };
}

// ---------------------------------------------------------------------------------------------
// Statistics and load driving.

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Runs `task(i)` for i = 0, 1, … at a target rate (per second), with at most `concurrency` in
 * flight, until `maxTasks` have started or `seconds` have passed. When all slots are busy a start is
 * delayed (closed-loop back-pressure), so a slow server lowers the achieved rate rather than piling
 * up requests; the achieved rate is what is reported.
 */
export async function drive(options: {
  rate: number;
  concurrency: number;
  seconds: number;
  maxTasks: number;
  task: (i: number) => Promise<void>;
}): Promise<{ started: number; seconds: number }> {
  const { rate, concurrency, seconds, maxTasks, task } = options;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let started = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  const all: Promise<void>[] = [];
  while (started < maxTasks) {
    const now = performance.now();
    if (now >= deadline) break;
    const due = t0 + (started / rate) * 1000;
    if (due > now) await new Promise((r) => setTimeout(r, Math.min(due - now, deadline - now)));
    if (inFlight >= concurrency) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    if (performance.now() >= deadline) break;
    const i = started++;
    inFlight++;
    all.push(
      task(i).finally(() => {
        inFlight--;
        const w = wake;
        wake = null;
        w?.();
      }),
    );
  }
  await Promise.allSettled(all);
  return { started, seconds: (performance.now() - t0) / 1000 };
}

/** Form fields of a full PHQ-9 (answer indexes 0–3) and the alliance check (0–10). */
export function formFields(phq9: number[], alliance: number[], submissionKey: string): Record<string, string> {
  const out: Record<string, string> = { submission_key: submissionKey };
  phq9.forEach((v, i) => (out[`q0.phq9-${i + 1}`] = String(v)));
  ['bond', 'goals', 'approach', 'overall'].forEach((name, i) => (out[`q1.alliance-${name}`] = String(alliance[i])));
  return out;
}

/** A small deterministic PRNG (mulberry32) so runs are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// In-process CPU profiles (V8 sampling profiler through node:inspector).

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
}

/** Runs `work` under the V8 sampling profiler (200 µs interval). */
export async function cpuProfile<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new inspector.Session();
  session.connect();
  const post = <R>(method: string, params?: object) =>
    new Promise<R>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as R))),
    );
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    const result = await work();
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** Self-time shares from a V8 CPU profile, by module (package or source file) or by function. */
export function hotspots(profile: CpuProfile, by: 'module' | 'function'): Array<{ name: string; pct: number }> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byNode.get(id)!;
    const url = frame.url.replace(/^file:\/\//, '');
    const module = !url
      ? frame.functionName.startsWith('(')
        ? frame.functionName
        : '(native)'
      : url.includes('node_modules/')
        ? url
            .split('node_modules/')
            .pop()!
            .split('/')
            .slice(0, url.includes('node_modules/@') ? 2 : 1)
            .join('/')
        : url.startsWith('node:')
          ? url
          : url.replace(/^.*\/(src|bench)\//, '$1/');
    const name = by === 'module' ? module : `${frame.functionName || '(anonymous)'} ${module}:${frame.lineNumber + 1}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, n]) => ({ name, pct: round((100 * n) / total, 1) }));
}

/** The Linux writeback settings the run had: they decide how bursty the data-file writes are (docs/operations.md). */
export function hostWriteback(): string {
  const read = (name: string) => {
    try {
      return readFileSync(`/proc/sys/vm/${name}`, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  return `dirty_background_bytes=${read('dirty_background_bytes')} dirty_background_ratio=${read('dirty_background_ratio')} dirty_expire_centisecs=${read('dirty_expire_centisecs')}`;
}

/**
 * Sustained client-form submissions on PostgreSQL (issue 4).
 *
 * A fresh database (migrated), a minimal organisation with --episodes active episodes × --sessions
 * open invitations each (bench/_data.ts seedSubmitOrg; 40,000 by default), a real server in its own
 * process (`spiegel serve`, LOG_LEVEL silent, pool SPIEGEL_DB_POOL_MAX = --pool, default 4), then
 * form POSTs to /m/<token> (application/x-www-form-urlencoded, full PHQ-9 + alliance check, one
 * submission_key per submission) offered at --rate per second (500, the target) for --seconds with at most
 * --concurrency in flight. 10% of the clients retry: half send the same submission twice at once,
 * half send it again after the first answer. Afterwards, in SQL: every acknowledged (200) submission
 * has exactly its responses and scores (no loss), no invitation has more or fewer than one response
 * per instrument (no duplicates, no partial writes), the audit chain verifies, zero 5xx.
 *
 *   submissions_per_s   acknowledged distinct submissions per second         target ≥ 500
 *   latency_p50_ms / latency_p99_ms   per request, client side               target p99 ≤ 100 ms
 *   server_errors       5xx answers                                          target 0
 *   lost / duplicated / partial   from the SQL check                         target 0
 *   ceiling_submissions_per_s    a second phase (--ceiling-seconds, 15 s) offered at --ceiling-rate
 *                       (800/s): the most the server acknowledges when saturated (info)
 * Then a profile (unless --no-profile): --profile-n sequential submissions through the same app
 * in-process with every SQL statement timed (Kysely log), to show where a submission's time goes.
 * --history N (100,000) first adds N score rows of ended episodes (an organisation with history; the alert
 * rules read a client's series from the scores table).
 *
 *   npm run bench -- submit-load [--rate 500] [--seconds 40] [--concurrency 48] [--episodes 4000]
 *     [--sessions 10] [--pool 4] [--ceiling-rate 800] [--ceiling-seconds 15] [--history 100000] [--no-profile] [--profile-n 400] [--warm-up 2500] [--keep]
 *     [--diagnose-sql "<sql>"]    (diagnostic: runs the SQL on the bench database after migrating,
 *                                  e.g. to measure an index or a dropped constraint; reported)
 *     [--diagnose-async-commit]   (diagnostic: synchronous_commit=off on the bench database, to show
 *                                  what the WAL flush costs; not a valid setting)
 *     [--print-slow]              (diagnostic: prints when each request over 150 ms started)
 *   Environment, diagnostic: SPIEGEL_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node
 *   flags for the server only), SPIEGEL_BENCH_SERVER_LOG=/tmp/server.log (the server's stdout).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { report } from './_report.ts';
import { migrateDatabase, seedSubmitOrg, type SeededInvitation } from './_data.ts';
import {
  cpuProfile,
  createDatabase,
  hostWriteback,
  withClient,
  drive,
  dropDatabase,
  flag,
  formFields,
  hotspots,
  HttpClient,
  log,
  option,
  percentile,
  prng,
  round,
  startServerProcess,
  type BenchServer,
} from './_load.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/config.ts';
import { shippedInstruments } from '../src/store/instrument-registry.ts';
import { verifyAuditTrail } from '../src/store/retention.ts';
import { sealAuditTrail } from '../src/store/audit.ts';
import type { Database } from '../src/store/schema.ts';

const BENCH = 'submit-load';
const RATE = Math.min(Number(option('rate', '500')), 5_000);
const TARGET_RATE = 500;
const CEILING_RATE = Math.min(Number(option('ceiling-rate', '800')), 5_000);
const SECONDS = Math.min(Number(option('seconds', '40')), 90);
const CONCURRENCY = Math.min(Number(option('concurrency', '48')), 256);
const EPISODES = Number(option('episodes', '4000'));
const SESSIONS = Number(option('sessions', '10'));
// Four connections: about twice the cores of this 2-core machine, which PostgreSQL and the app share.
// More only add contention (docs/operations.md); with 10 the p99 varied more between runs.
const POOL = option('pool', '4');
const SERVERS = Math.min(Math.max(Number(option('servers', '1')), 1), 8);
const HISTORY = Math.min(Number(option('history', '100000')), 5_000_000);
const PROFILE_N = Math.min(Number(option('profile-n', '400')), 5_000);
const WARM_UP = Math.min(Math.max(Number(option('warm-up', '2500')), 1), 10_000);
const CEILING_SECONDS = Math.min(Number(option('ceiling-seconds', '15')), 60);
const ASYNC_COMMIT = flag('diagnose-async-commit');
const DIAGNOSE_SQL = option('diagnose-sql', '');
const PRINT_SLOW = flag('print-slow');
const dbName = `spiegel_bench_submit_${process.pid}`;

const random = prng(20260401);
const answers = () => ({
  phq9: Array.from({ length: 9 }, () => Math.floor(random() * 4)),
  alliance: Array.from({ length: 4 }, () => Math.floor(random() * 11)),
});
const key = (i: number) =>
  `bench-${i.toString(36).padStart(6, '0')}-${Math.floor(random() * 2 ** 40).toString(36)}`.padEnd(20, 'x');
// As a phone's browser sends it: the thanks page goes back compressed, which is part of the cost.
const FORM = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'text/html',
  'accept-encoding': 'gzip, deflate, br',
};

/** CPU seconds (user + system) of a process and, for PostgreSQL, of the backends of our database. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
function pgBackendCpuSeconds(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `)) total += cpuSeconds(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

let servers: BenchServer[] = [];
const keep = flag('keep');
try {
  const url = await createDatabase(dbName);
  await migrateDatabase(url);
  if (DIAGNOSE_SQL) {
    // Diagnostic only: a schema or setting experiment on the bench database, reported with the figures.
    await withClient(url, (client) => client.query(DIAGNOSE_SQL));
  }
  if (ASYNC_COMMIT) {
    // Diagnostic only, never a production setting: shows how much of the ceiling is the WAL flush
    // each commit waits for while it holds the audit chain's advisory lock.
    await withClient(url, (client) => client.query(`ALTER DATABASE ${dbName} SET synchronous_commit = off`));
  }
  const s0 = performance.now();
  const org = await seedSubmitOrg(url, { episodes: EPISODES, sessions: SESSIONS });
  log(
    `seeded ${org.invitations.length} invitations over ${EPISODES} episodes in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
  );
  if (HISTORY > 0) await addHistory(url, org.orgId, HISTORY);
  // A settled database, as a running one is: statistics (without them the planner takes the empty
  // scores table for tiny and the submit's prepared read keeps a sequential-scan plan until
  // autovacuum), the seeding's vacuum done, and its dirty pages checkpointed before the clock starts.
  await settle(url);

  // Several app processes may share one PostgreSQL (docs/operations.md); each gets --pool connections.
  for (let k = 0; k < SERVERS; k++)
    servers.push(await startServerProcess({ databaseUrl: url, env: { SPIEGEL_DB_POOL_MAX: POOL } }));
  await firstRefitDone(url, org.orgId);
  const clients = servers.map((server) => new HttpClient(server.url, CONCURRENCY + 8));
  // Requests go round-robin by invitation, as a load balancer would spread clients.
  const clientFor = (n: number) => clients[n % clients.length];
  // Warm-up at the target rate (JIT, pool connections, prepared plans), excluded from the figures.
  const warm = org.invitations.slice(-WARM_UP);
  const pool = org.invitations.slice(0, -WARM_UP - PROFILE_N);
  const profileSet = org.invitations.slice(-WARM_UP - PROFILE_N, -WARM_UP);
  await drive({
    rate: RATE,
    concurrency: CONCURRENCY,
    seconds: 30,
    maxTasks: warm.length,
    task: async (i) => {
      const a = answers();
      await clientFor(i).request('POST', `/m/${warm[i].token}`, {
        headers: FORM,
        body: new URLSearchParams(formFields(a.phq9, a.alliance, key(1e6 + i))).toString(),
        useCookies: false,
      });
    },
  });

  const sent = new Map<string, { key: string; acked: boolean; statuses: number[] }>();
  const statusCounts = new Map<string, number>();
  let retries = 0;
  let networkErrors = 0;
  let next = 0; // next unused invitation of the pool
  /** One load phase: returns its latencies, acknowledged count, duration and CPU use. */
  const phase = async (rate: number, seconds: number) => {
    const latencies: number[] = [];
    const firstLatencies: number[] = [];
    const timeline: Array<{ at: number; ms: number }> = [];
    let acked = 0;
    const t0 = performance.now();
    const submit = async (inv: SeededInvitation, body: string, first: boolean, n: number) => {
      try {
        const res = await clientFor(n).request('POST', `/m/${inv.token}`, {
          headers: FORM,
          body,
          useCookies: false,
          timeoutMs: 30_000,
        });
        latencies.push(res.ms);
        if (first) firstLatencies.push(res.ms);
        timeline.push({ at: performance.now() - t0, ms: res.ms });
        const rec = sent.get(inv.id)!;
        rec.statuses.push(res.status);
        const thanks = res.status === 200 && res.body.includes('id="thanks"');
        if (thanks && !rec.acked) {
          rec.acked = true;
          acked++;
        }
        const label = res.status === 200 && !thanks ? '200-unexpected-body' : String(res.status);
        statusCounts.set(label, (statusCounts.get(label) ?? 0) + 1);
      } catch {
        networkErrors++;
      }
    };
    const serverCpu = () => servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
    const cpu0 = { server: serverCpu(), pg: pgBackendCpuSeconds(dbName), self: process.cpuUsage() };
    const wal0 = await walLsn(url);
    const load = loadavg()[0];
    const offset = next;
    const run = await drive({
      rate,
      concurrency: CONCURRENCY,
      seconds,
      maxTasks: pool.length - offset,
      task: async (i) => {
        const inv = pool[offset + i];
        next = Math.max(next, offset + i + 1);
        const a = answers();
        const k = key(offset + i);
        sent.set(inv.id, { key: k, acked: false, statuses: [] });
        const body = new URLSearchParams(formFields(a.phq9, a.alliance, k)).toString();
        const mode = random();
        if (mode < 0.05) {
          retries++;
          // double tap / two tabs (with several app processes, the two land on different ones)
          await Promise.all([submit(inv, body, true, offset + i), submit(inv, body, false, offset + i + 1)]);
        } else if (mode < 0.1) {
          retries++;
          await submit(inv, body, true, offset + i);
          await submit(inv, body, false, offset + i + 1); // resend after the answer (e.g. reload)
        } else {
          await submit(inv, body, true, offset + i);
        }
      },
    });
    const cpu = {
      server: serverCpu() - cpu0.server,
      pg: pgBackendCpuSeconds(dbName) - cpu0.pg,
      self: process.cpuUsage(cpu0.self),
    };
    const walBytes = (await walLsn(url)) - wal0; // the whole cluster's WAL: nothing else writes during the run
    const windowP99 = (from: number, to: number) =>
      percentile(
        timeline.filter((t) => t.at >= from * 1000 && t.at < to * 1000).map((t) => t.ms),
        99,
      );
    const p99By5s = Array.from({ length: Math.ceil(run.seconds / 5) }, (_, k) => round(windowP99(k * 5, k * 5 + 5)));
    // Diagnostic: when each request over 150 ms started (s into the phase) and how long it took.
    if (PRINT_SLOW)
      log(
        `requests over 150 ms (start s + ms): ${
          timeline
            .filter((t) => t.ms > 150)
            .map((t) => `${((t.at - t.ms) / 1000).toFixed(2)}+${Math.round(t.ms)}`)
            .join(' ') || 'none'
        }`,
      );
    return {
      latencies,
      firstLatencies,
      acked,
      seconds: run.seconds,
      cpu,
      walBytes,
      load,
      p99First10: windowP99(0, 10),
      p99Last10: windowP99(run.seconds - 10, run.seconds),
      p99By5s,
    };
  };
  const main = await phase(RATE, SECONDS);
  const achieved = main.acked / main.seconds;
  log(
    `sustained phase: ${achieved.toFixed(0)} acknowledged submissions/s at ${RATE}/s offered; now ${CEILING_SECONDS} s at ${CEILING_RATE}/s for the ceiling`,
  );
  const ceiling = CEILING_SECONDS > 0 ? await phase(CEILING_RATE, CEILING_SECONDS) : null;
  for (const client of clients) client.close();
  for (const server of servers) await server.stop();
  servers = [];

  // ---- the SQL check
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const per = await check.query<{
    id: string;
    used: boolean;
    submission_key: string | null;
    responses: number;
    scores: number;
  }>(
    `SELECT i.id, i.used_at IS NOT NULL AS used, i.submission_key,
            (SELECT count(*)::int FROM responses r WHERE r.invitation_id = i.id) AS responses,
            (SELECT count(*)::int FROM scores s JOIN responses r ON r.id = s.response_id WHERE r.invitation_id = i.id) AS scores
     FROM invitations i WHERE i.org_id = $1`,
    [org.orgId],
  );
  await check.end();
  const byId = new Map(per.rows.map((r) => [r.id, r]));
  let lost = 0;
  let wrongKey = 0;
  let duplicated = 0;
  let partial = 0;
  let strayWrites = 0;
  for (const row of per.rows) {
    if (row.responses > 2 || row.scores > 2) duplicated++;
    if (
      (row.responses !== 0 && row.responses !== 2) ||
      (row.scores !== 0 && row.scores !== 2) ||
      row.used !== (row.responses === 2)
    )
      partial++;
  }
  let acked = 0;
  for (const [id, rec] of sent) {
    const row = byId.get(id)!;
    if (rec.acked) {
      acked++;
      if (!row.used || row.responses !== 2 || row.scores !== 2) lost++;
      else if (row.submission_key !== rec.key) wrongKey++;
    }
  }
  const untouched = new Set(sent.keys());
  const warmIds = new Set(warm.map((w) => w.id));
  for (const row of per.rows) if (!untouched.has(row.id) && !warmIds.has(row.id) && row.responses > 0) strayWrites++;
  const store = {
    db: new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: url, max: 2, types: { getTypeParser: int8Parsers } }),
      }),
    }),
  };
  await sealAuditTrail(store.db); // the server's sealer may not have reached the newest rows yet
  const chain = await verifyAuditTrail(store.db);
  const submitAudits = await store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'response.submit')
    .executeTakeFirstOrThrow();
  const usedInvitations = per.rows.filter((r) => r.used).length;
  const auditMismatch = Math.abs(Number(submitAudits.n) - usedInvitations);
  await store.db.destroy();
  const serverErrors = [...statusCounts].filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0);

  const common = {
    offered_rate: RATE,
    concurrency: CONCURRENCY,
    servers: SERVERS,
    pool: Number(POOL),
    seconds: round(main.seconds, 1),
    history_rows: HISTORY,
    ...(ASYNC_COMMIT ? { diagnostic: 'synchronous_commit=off (not a valid production setting)' } : {}),
    ...(DIAGNOSE_SQL ? { diagnostic_sql: DIAGNOSE_SQL } : {}),
    loadavg_1m: round(main.load, 1),
    host_writeback: hostWriteback(),
  };
  const p99 = percentile(main.latencies, 99);
  // Sustained: the offered rate was acknowledged over the whole run (1% allowance for the drain of
  // the last requests, which the run's seconds include).
  const sustained = RATE >= TARGET_RATE && achieved >= 0.99 * RATE;
  report({
    bench: BENCH,
    metric: 'submissions_per_s',
    value: round(achieved),
    unit: '1/s',
    target: `>= ${TARGET_RATE} sustained`,
    pass: sustained,
    anchor: 'offered rate',
    anchor_value: RATE,
    acknowledged: main.acked,
    requests: main.latencies.length,
    ...common,
  });
  report({
    bench: BENCH,
    metric: 'latency_p50_ms',
    value: round(percentile(main.latencies, 50)),
    unit: 'ms',
    target: 'info',
    anchor: 'first attempts only, p50',
    anchor_value: round(percentile(main.firstLatencies, 50)),
    ...common,
  });
  report({
    bench: BENCH,
    metric: 'latency_p99_ms',
    value: round(p99),
    unit: 'ms',
    target: '<= 100',
    pass: p99 <= 100,
    anchor: 'first attempts only, p99',
    anchor_value: round(percentile(main.firstLatencies, 99)),
    p999_ms: round(percentile(main.latencies, 99.9)),
    max_ms: round(Math.max(...main.latencies)),
    p99_first_10s_ms: round(main.p99First10),
    p99_last_10s_ms: round(main.p99Last10),
    p99_by_5s_ms: main.p99By5s,
    ...common,
  });
  if (ceiling) {
    report({
      bench: BENCH,
      metric: 'ceiling_submissions_per_s',
      value: round(ceiling.acked / ceiling.seconds),
      unit: '1/s',
      target: 'info (saturated: latency is queueing behind the in-flight cap)',
      anchor: 'offered rate',
      anchor_value: CEILING_RATE,
      p50_ms: round(percentile(ceiling.latencies, 50)),
      p99_ms: round(percentile(ceiling.latencies, 99)),
      seconds: round(ceiling.seconds, 1),
      loadavg_1m: round(ceiling.load, 1),
    });
  }
  report({
    bench: BENCH,
    metric: 'server_errors',
    value: serverErrors,
    unit: 'responses',
    target: '0',
    pass: serverErrors === 0 && networkErrors === 0,
    anchor: 'network errors / timeouts',
    anchor_value: networkErrors,
    statuses: Object.fromEntries(statusCounts),
    retried_clients: retries,
  });
  report({
    bench: BENCH,
    metric: 'integrity_violations',
    value: lost + wrongKey + duplicated + partial + strayWrites + chain.problems.length + auditMismatch,
    unit: 'count',
    target: '0',
    pass: lost + wrongKey + duplicated + partial + strayWrites + chain.problems.length + auditMismatch === 0,
    anchor: 'acknowledged submissions checked',
    anchor_value: acked,
    lost,
    wrong_key: wrongKey,
    duplicated,
    partial,
    stray_writes: strayWrites,
    audit_rows: chain.rows,
    audit_chain_problems: chain.problems.length,
    submit_audit_rows: Number(submitAudits.n),
    used_invitations: usedInvitations,
    audit_rows_not_matching_submits: auditMismatch,
  });
  const cpu = main.cpu;
  report({
    bench: BENCH,
    metric: 'cpu_ms_per_submission',
    value: round(((cpu.server + cpu.pg) * 1000) / Math.max(1, main.acked), 2),
    unit: 'ms',
    target: 'info',
    anchor: 'ceiling on 2 idle cores = 2000 / this (submissions/s)',
    anchor_value: round(2000 / Math.max(0.01, ((cpu.server + cpu.pg) * 1000) / Math.max(1, main.acked))),
    wal_kb_per_submission: round(main.walBytes / 1024 / Math.max(1, main.acked), 1),
    server_ms: round((cpu.server * 1000) / Math.max(1, main.acked), 2),
    postgres_ms: round((cpu.pg * 1000) / Math.max(1, main.acked), 2),
    load_generator_ms: round((cpu.self.user + cpu.self.system) / 1000 / Math.max(1, main.acked), 2),
  });

  if (!flag('no-profile')) await profile(url, profileSet);
} finally {
  for (const server of servers) await server.stop();
  if (!keep) await dropDatabase(dbName).catch(() => undefined);
  else log(`kept database ${dbName}`);
}

function int8Parsers(oid: number, format?: 'text' | 'binary') {
  if (oid === 20 || oid === 1700) return (v: string) => Number(v);
  return pg.types.getTypeParser(oid, format as 'text');
}

/** N score rows of other (completed) clients, so the per-client series queries run over history. */
async function addHistory(url: string, orgId: string, rows: number): Promise<void> {
  const h0 = performance.now();
  await withClient(url, async (client) => {
    await client.query('SET session_replication_role = replica');
    const episodes = Math.ceil(rows / 10);
    await client.query(
      `CREATE TEMP TABLE h AS SELECT i, gen_random_uuid() c, gen_random_uuid() e, gen_random_uuid() p, (SELECT id FROM users WHERE org_id = $1 LIMIT 1) t FROM generate_series(1, $2::int) i`,
      [orgId, episodes],
    );
    await client.query(`INSERT INTO clients (id, org_id, code, therapist_id) SELECT c, $1, 'H-' || i, t FROM h`, [
      orgId,
    ]);
    await client.query(
      `INSERT INTO episodes (id, org_id, client_id, therapist_id, modality, status, started_on, ended_on) SELECT e, $1, c, t, 'individual', 'completed', date '2023-01-01', date '2023-06-01' FROM h`,
      [orgId],
    );
    await client.query(`INSERT INTO participants (id, org_id, episode_id, label) SELECT p, $1, e, 'client' FROM h`, [
      orgId,
    ]);
    await client.query(
      `INSERT INTO responses (id, org_id, episode_id, participant_id, instrument_id, session_number, questionnaire_response, submitted_at)
      SELECT md5(e::text || s)::uuid, $1, e, p, 'phq9', s, '{}'::jsonb, timestamp '2023-01-01' + s * interval '7 days' FROM h, generate_series(1, 10) s`,
      [orgId],
    );
    await client.query(
      `INSERT INTO scores (response_id, scale_id, org_id, episode_id, participant_id, therapist_id, instrument_id, session_number, value, measured_at)
      SELECT md5(e::text || s)::uuid, 'total', $1, e, p, t, 'phq9', s, floor(random() * 28), timestamp '2023-01-01' + s * interval '7 days' FROM h, generate_series(1, 10) s`,
      [orgId],
    );
    await client.query('SET session_replication_role = origin');
  });
  log(`added ${rows} history score rows in ${((performance.now() - h0) / 1000).toFixed(1)} s`);
}

/**
 * A fresh server fits a never-fitted organisation's curves at its first job check (a few seconds after
 * start); after that, refits run at night. Wait for that first fit, so the figures show the form
 * under load, not the start-up fit.
 */
async function firstRefitDone(url: string, orgId: string): Promise<void> {
  await withClient(url, async (client) => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM jobs WHERE org_id = $1 AND kind = 'refit_analyses' AND status IN ('done', 'failed')",
        [orgId],
      );
      if (rows[0].n > 0) return log('first refit done');
    }
    throw new Error('the server did not run its first refit within 120 s');
  });
}

/** The cluster's current WAL position in bytes. */
async function walLsn(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ bytes: string }>(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes",
    );
    return Number(rows[0].bytes);
  });
}

async function settle(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
  });
}

/** Sequential submissions through the app in-process, every SQL statement timed. */
async function profile(url: string, invitations: SeededInvitation[]): Promise<void> {
  const byStatement = new Map<string, { ms: number; n: number }>();
  const pool = new pg.Pool({ connectionString: url, max: 4, types: { getTypeParser: int8Parsers } });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      const text = event.query.sql
        .replace(/\s+/g, ' ')
        .replace(/\(\$\d+(, \$\d+)*\)/g, '(…)')
        .slice(0, 90);
      const entry = byStatement.get(text) ?? { ms: 0, n: 0 };
      entry.ms += event.queryDurationMillis;
      entry.n++;
      byStatement.set(text, entry);
    },
  });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url };
  const app = await buildApp({
    store: { db, dialect: 'postgres', pglite: null, close: async () => undefined },
    config,
    instruments: shippedInstruments(),
  });
  await app.ready();
  try {
    const run = async (list: SeededInvitation[]) => {
      const t0 = performance.now();
      for (const [i, inv] of list.entries()) {
        const a = answers();
        const res = await app.inject({
          method: 'POST',
          url: `/m/${inv.token}`,
          headers: FORM,
          payload: new URLSearchParams(formFields(a.phq9, a.alliance, key(2e6 + i))).toString(),
        });
        if (res.statusCode !== 200) throw new Error(`profile submit: ${res.statusCode}`);
      }
      return performance.now() - t0;
    };
    await run(invitations.slice(0, 50)); // warm-up
    byStatement.clear();
    const list = invitations.slice(50);
    const cpu = await cpuProfile(() => run(list));
    const total = cpu.result;
    report({
      bench: BENCH,
      metric: 'profile_js_self_time',
      value: round(total / list.length, 2),
      unit: 'ms per submission',
      target: 'info (where the app process spends its time)',
      anchor: 'top modules by self time (% of samples)',
      anchor_value: null,
      modules: hotspots(cpu.profile, 'module'),
      functions: hotspots(cpu.profile, 'function'),
    });
    const sqlMs = [...byStatement.values()].reduce((s, e) => s + e.ms, 0);
    const top = [...byStatement]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([text, e]) => ({
        sql: text,
        ms_per_submission: round(e.ms / list.length, 3),
        calls_per_submission: round(e.n / list.length, 2),
      }));
    report({
      bench: BENCH,
      metric: 'profile_ms_per_submission',
      value: round(total / list.length, 2),
      unit: 'ms',
      target: 'info (sequential, in-process, inject)',
      anchor: 'of which SQL round trips (ms)',
      anchor_value: round(sqlMs / list.length, 2),
      statements_per_submission: round([...byStatement.values()].reduce((s, e) => s + e.n, 0) / list.length, 1),
      top_statements: top.slice(0, 14),
    });
    const locked = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(db);
    log(`profile done; audit rows ${locked.rows[0].n}`);
  } finally {
    await app.close();
    await db.destroy();
  }
}

/**
 * Daily practice (issue 15).
 *
 *   scheduling_pass_ms       one scheduling pass (src/store/sends.ts schedulingPass) over --sessions
 *                            (10,000) planned sessions of 2 participants each with e-mail, planned over
 *                            the next 30 days, on a fresh database             target ≤ 2000 ms
 *   scheduling_pass_again_ms the next pass, when everything due is already queued (idempotence)
 *   Anchor: queued_sends, how many sends the pass queued (the sessions within 48 hours × 2).
 *
 *   home_page_p95_ms, new_episode_page_p95_ms   GET /app and GET /app/clients/:id/episodes/new as the
 *                            caseload therapist on the 1M-response organisation (bench/_data.ts), --requests
 *                            (200) at --concurrency (4)                         target ≤ 150 ms
 *   Anchor: sequential p50 of the same request. Skipped with --pass-only (generating the organisation
 *   takes long on a shared machine).
 *
 *   npm run bench -- practice [--sessions 10000] [--postgres] [--pass-only] [--requests 200] [--concurrency 4]
 */
import { sql } from 'kysely';
import { report } from './_report.ts';
import { CASELOAD_THERAPIST, ensureLargeOrg } from './_data.ts';
import { DEMO_PASSWORD, drive, flag, HttpClient, log, option, percentile, round, startServerProcess } from './_load.ts';
import { freshStore } from '../src/store/testing.ts';
import { schedulingPass } from '../src/store/sends.ts';

const BENCH = 'practice';
const SESSIONS = Math.min(Number(option('sessions', '10000')), 200_000);

async function passBench(): Promise<void> {
  const store = await freshStore(flag('postgres') ? 'postgres' : 'pglite');
  try {
    const db = store.db;
    const org = await db
      .insertInto('organisations')
      .values({ slug: 'bench-practice', name: 'Bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ org_id: org.id, email: 'b@bench.test', display_name: 'B', roles: ['therapist'], gender: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episodes = Math.ceil(SESSIONS / 4);
    await sql`INSERT INTO clients (org_id, code, therapist_id) SELECT ${org.id}, 'B-' || g, ${user.id} FROM generate_series(1, ${episodes}) g`.execute(
      db,
    );
    await sql`INSERT INTO episodes (org_id, client_id, therapist_id, modality, started_on)
      SELECT org_id, id, therapist_id, 'couple', current_date FROM clients WHERE org_id = ${org.id}`.execute(db);
    await sql`INSERT INTO participants (org_id, episode_id, label, position)
      SELECT org_id, id, 'p' || k, k FROM episodes, generate_series(0, 1) k WHERE org_id = ${org.id}`.execute(db);
    await sql`INSERT INTO participant_contacts (participant_id, org_id, episode_id, email)
      SELECT id, org_id, episode_id, id || '@bench.test' FROM participants WHERE org_id = ${org.id}`.execute(db);
    await sql`INSERT INTO measurement_plans (org_id, episode_id, instrument_id, schedule)
      SELECT org_id, id, 'phq9', 'every_session' FROM episodes WHERE org_id = ${org.id}`.execute(db);
    // Four planned sessions per episode, spread over the next 30 days.
    await sql`INSERT INTO therapy_sessions (org_id, episode_id, number, status, planned_at)
      SELECT e.org_id, e.id, k, 'planned', now() + (((row_number() OVER ()) % 720) || ' hours')::interval + interval '5 minutes'
      FROM episodes e, generate_series(1, 4) k WHERE e.org_id = ${org.id}`.execute(db);
    await sql`ANALYZE`.execute(db);
    const planned = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM therapy_sessions WHERE status = 'planned'`.execute(db);
    log(`${planned.rows[0].n} planned sessions in ${episodes} episodes`);
    const t0 = performance.now();
    const first = await schedulingPass(db);
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const again = await schedulingPass(db);
    const msAgain = performance.now() - t1;
    report({
      bench: BENCH,
      metric: 'scheduling_pass_ms',
      value: round(ms),
      unit: 'ms',
      target: '≤ 2000 ms',
      anchor: 'queued_sends (sessions within 48 hours × 2 participants)',
      anchor_value: first.sends.length,
      sessions: planned.rows[0].n,
      queued_sends: first.sends.length,
    });
    report({
      bench: BENCH,
      metric: 'scheduling_pass_again_ms',
      value: round(msAgain),
      unit: 'ms',
      queued_sends: again.sends.length,
    });
  } finally {
    await store.drop();
  }
}

async function pageBench(): Promise<void> {
  const requests = Math.min(Number(option('requests', '200')), 2_000);
  const concurrency = Math.min(Number(option('concurrency', '4')), 32);
  const large = await ensureLargeOrg();
  const server = await startServerProcess({ databaseUrl: large.url });
  try {
    const client = new HttpClient(server.url, concurrency);
    await client.login(CASELOAD_THERAPIST, DEMO_PASSWORD);
    const clients = await client.request('GET', '/app/clients', { headers: { accept: 'text/html' } });
    const clientId = /\/app\/clients\/([0-9a-f-]{36})\/episodes\/new/.exec(clients.body ?? '')?.[1];
    for (const [metric, path] of [
      ['home_page_p95_ms', '/app'],
      ['new_episode_page_p95_ms', `/app/clients/${clientId}/episodes/new`],
    ] as const) {
      const headers = { accept: 'text/html', 'accept-encoding': 'br' };
      for (let i = 0; i < 5; i++) await client.request('GET', path, { headers });
      const sequential: number[] = [];
      for (let i = 0; i < 20; i++) sequential.push((await client.request('GET', path, { headers })).ms);
      const times: number[] = [];
      await drive({
        rate: 10_000,
        concurrency,
        seconds: 150,
        maxTasks: requests,
        task: async () => {
          const res = await client.request('GET', path, { headers });
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          times.push(res.ms);
        },
      });
      report({
        bench: BENCH,
        metric,
        value: round(percentile(times, 95)),
        unit: 'ms',
        target: '≤ 150 ms',
        anchor: 'the same request alone (sequential p50)',
        anchor_value: round(percentile(sequential, 50)),
        sequential_p50_ms: round(percentile(sequential, 50)),
        requests: times.length,
        concurrency,
      });
    }
  } finally {
    await server.stop();
  }
}

await passBench();
if (!flag('pass-only')) await pageBench();

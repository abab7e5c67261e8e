import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { seedSubmitOrg, type SeededInvitation } from '../../bench/_data.ts';
import { formFields, startServerProcess, withClient, type BenchServer } from '../../bench/_load.ts';
import { sealAuditTrail } from '../store/audit.ts';
import { verifyAuditTrail } from '../store/retention.ts';
import { freshStore, testDialects } from '../store/testing.ts';

// The chaos test (issue 21): PostgreSQL, two `spiegel serve` processes on 127.0.0.1 sharing one database,
// client-form submissions to both. While the load runs, every backend of the database is terminated three
// times; then a refit job is held inside the database while it runs and the instance that runs it is killed
// with SIGKILL. Afterwards: the surviving instance never exited and still answers, every acknowledged
// submission is stored exactly once, the killed job was retried by the survivor after its lease ran out
// (no job is stuck), and the audit chain verifies. Bounded: at most a few hundred submissions, a 2 s lease.

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PHQ9 = [1, 1, 1, 1, 1, 1, 1, 1, 0];
const ALLIANCE = [3, 3, 3, 3];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(testDialects().includes('postgres'))(
  'chaos: two instances, terminated backends, kill -9 [postgres]',
  () => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    let admin: pg.Client;
    const servers: Record<string, BenchServer> = {};
    let orgId: string;
    let invitations: SeededInvitation[];

    beforeAll(async () => {
      store = await freshStore('postgres');
      ({ orgId, invitations } = await seedSubmitOrg(store.url!, { slug: 'chaos', episodes: 200, sessions: 20 }));
      admin = new pg.Client({ connectionString: store.url! });
      await admin.connect();
      const env = { SPIEGEL_JOB_POLL_MS: '200', SPIEGEL_JOB_LEASE_MS: '2000', SPIEGEL_DB_POOL_MAX: '4' };
      // application_name tells the instances' backends apart in pg_stat_activity.
      const [a, b] = await Promise.all(
        ['chaos_a', 'chaos_b'].map((name) =>
          startServerProcess({ databaseUrl: `${store.url}?application_name=${name}`, env }),
        ),
      );
      servers.chaos_a = a;
      servers.chaos_b = b;
    }, 420_000);

    afterAll(async () => {
      // A killed child has a signalCode and no exitCode; stop() would wait for an exit that already happened.
      for (const server of Object.values(servers))
        if (server.child.signalCode === null) await server.stop().catch(() => undefined);
      await admin?.end().catch(() => undefined);
      await store?.drop();
    }, 60_000);

    it('0 exits of the survivor, 0 acknowledged submissions lost or duplicated, 0 jobs stuck, the chain verifies', async () => {
      const live = new Set(Object.keys(servers));
      const acked = new Map<string, string>(); // invitation id → submission key
      const statuses = new Map<string, number>();
      let next = 0;
      let stop = false;
      const worker = async (w: number) => {
        while (!stop && next < invitations.length) {
          const inv = invitations[next++];
          const names = [...live];
          const server = servers[names[(next + w) % names.length]];
          const key = `chaos-${inv.id}`;
          try {
            const res = await fetch(`${server.url}/m/${inv.token}`, {
              method: 'POST',
              headers: FORM,
              body: new URLSearchParams(formFields(PHQ9, ALLIANCE, key)).toString(),
              signal: AbortSignal.timeout(20_000),
            });
            const body = await res.text();
            const label = res.status === 200 && !body.includes('id="thanks"') ? '200-other' : String(res.status);
            statuses.set(label, (statuses.get(label) ?? 0) + 1);
            if (label === '200') acked.set(inv.id, key);
          } catch {
            statuses.set('network', (statuses.get('network') ?? 0) + 1);
          }
        }
      };
      const load = Promise.all([0, 1, 2, 3].map(worker));
      const waitForAcks = async (n: number) => {
        for (let i = 0; i < 400 && acked.size < n; i++) await sleep(50);
      };

      // 1. Three times: terminate every backend of the database while submissions are in flight.
      for (let round = 1; round <= 3; round++) {
        await waitForAcks(round * 40);
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect(rows[0].n).toBeGreaterThan(0);
      }
      await waitForAcks(160);

      // 2. A refit held inside the database while it runs (its first write waits for our lock), and the
      // instance running it killed with SIGKILL.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE analysis_runs IN ACCESS EXCLUSIVE MODE');
      await withClient(store.url!, (c) =>
        c.query(`INSERT INTO jobs (org_id, kind, payload, run_at) VALUES ($1, 'refit_analyses', '{}', now())`, [orgId]),
      );
      // (pg_stat_activity is a snapshot per transaction, so it is read outside the one holding the lock.)
      const watcher = new pg.Client({ connectionString: store.url! });
      await watcher.connect();
      let victim: string | undefined;
      for (let i = 0; i < 300 && !victim; i++) {
        const { rows } = await watcher.query<{ application_name: string }>(
          `SELECT a.application_name FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' AND a.query ILIKE '%analysis_runs%'
           AND a.application_name IN ('chaos_a', 'chaos_b')`,
        );
        victim = rows[0]?.application_name;
        if (!victim) await sleep(50);
      }
      expect(victim).toBeDefined();
      const running = await watcher.query<{ id: string }>(
        `SELECT id FROM jobs WHERE kind = 'refit_analyses' AND org_id = $1 AND status = 'running'`,
        [orgId],
      );
      await watcher.end();
      expect(running.rows).toHaveLength(1);
      const ackedBeforeKill = acked.size;
      live.delete(victim!);
      const killed = servers[victim!];
      const exited = new Promise((resolve) => killed.child.once('exit', resolve));
      killed.child.kill('SIGKILL');
      await exited;
      await admin.query('ROLLBACK');
      const survivorName = [...live][0];
      const survivor = servers[survivorName];

      // 3. The survivor reclaims the killed job once its lease has run out and finishes it. It may first
      // finish other jobs (first refits of the other organisations, CPU-bound): on a busy 2-core machine
      // that takes more than a minute, so the wait is generous and a failure lists the queue.
      let job: { status: string; attempts: number } | undefined;
      for (let i = 0; i < 1800; i++) {
        const { rows } = await admin.query<{ status: string; attempts: number }>(
          `SELECT status, attempts FROM jobs WHERE id = $1`,
          [running.rows[0].id],
        );
        job = rows[0];
        if (job.status === 'done') break;
        await sleep(100);
      }
      const queue = await admin.query(`SELECT kind, status, attempts, last_error FROM jobs ORDER BY created_at`);
      expect(job, JSON.stringify(queue.rows)).toMatchObject({ status: 'done' });
      expect(job!.attempts).toBeGreaterThanOrEqual(2);
      await waitForAcks(ackedBeforeKill + 50); // the survivor carries the load on its own
      stop = true;
      await load;

      // The survivor never exited and still answers.
      expect(survivor.child.exitCode).toBeNull();
      expect(survivor.child.signalCode).toBeNull();
      expect((await fetch(`${survivor.url}/readyz`)).status).toBe(200);

      // Every acknowledged submission is stored once, with its own key; no invitation holds more than one.
      const per = await admin.query<{ id: string; submission_key: string | null; responses: number }>(
        `SELECT i.id, i.submission_key, (SELECT count(*)::int FROM responses r WHERE r.invitation_id = i.id) AS responses
       FROM invitations i WHERE i.org_id = $1`,
        [orgId],
      );
      const byId = new Map(per.rows.map((r) => [r.id, r]));
      const lost = [...acked].filter(
        ([id, key]) => byId.get(id)?.responses !== 2 || byId.get(id)?.submission_key !== key,
      );
      const duplicated = per.rows.filter((r) => r.responses > 2);
      expect(acked.size).toBeGreaterThanOrEqual(ackedBeforeKill + 50);
      expect(next).toBeLessThan(invitations.length); // the load ran until the end
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);

      // No job is stuck: none running past its lease, none queued and overdue.
      const stuck = await admin.query(
        `SELECT id, kind, status FROM jobs
       WHERE (status = 'running' AND lease_until < now()) OR (status = 'queued' AND run_at < now() - interval '5 seconds')`,
      );
      expect(stuck.rows).toEqual([]);

      // The audit chain verifies (the rows the killed instance wrote included).
      await sealAuditTrail(store.db);
      const chain = await verifyAuditTrail(store.db);
      expect(chain.problems).toEqual([]);
      console.info(`chaos: ${acked.size} acknowledged, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    }, 420_000);
  },
);

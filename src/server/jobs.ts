import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../store/schema.ts';
import { refitExpectedCourse } from '../store/analytics/expected-course.ts';
import { runTherapistEffects } from '../store/analytics/therapist-effects.ts';
import { refreshDashboardCells } from '../store/dashboards/refresh.ts';
import { outcomeInstruments } from '../store/dashboards/instruments.ts';
import { shippedInstruments } from '../store/instrument-registry.ts';
import { PRIMARY_OUTCOME } from '../domain/feedback/effects.ts';

/**
 * The one job queue (decision 0012): rows in `jobs`, claimed with FOR UPDATE SKIP LOCKED under a lease
 * that the worker renews while the job runs. A job whose worker died is claimed again once its lease
 * has run out; a failed job is retried with exponential backoff until `max_attempts`, then 'failed'.
 * Only the holder of the current lease token can finish a job, so a job never runs twice at once
 * (as long as a worker renews its lease, i.e. is not stalled for longer than the lease).
 *
 * API: `registerJob(kind, handler)` once at start-up, `enqueueJob(db, kind, options)` from anywhere.
 */

export interface JobContext {
  db: Kysely<Database>;
  job: { id: number; orgId: string | null; kind: string; payload: unknown; attempts: number };
  log?: FastifyBaseLogger;
}
export type JobHandler = (ctx: JobContext) => Promise<void>;
interface JobKind {
  handler: JobHandler;
  leaseMs: number;
}

const kinds = new Map<string, JobKind>();
const DEFAULT_LEASE_MS = 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;

/** Registers the handler of a job kind (once per kind; registering again replaces it). */
export function registerJob(kind: string, handler: JobHandler, options: { leaseMs?: number } = {}): void {
  kinds.set(kind, { handler, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS });
}

export interface EnqueueOptions {
  orgId?: string | null;
  payload?: unknown;
  runAt?: Date;
  /** At most one queued or running job per kind and key; a second enqueue is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Queues a job; returns its id, or null when a pending job with the same dedupe key exists. */
export async function enqueueJob(
  db: Kysely<Database>,
  kind: string,
  options: EnqueueOptions = {},
): Promise<number | null> {
  const row = await sql<{ id: number }>`
    INSERT INTO jobs (org_id, kind, payload, run_at, dedupe_key, max_attempts)
    VALUES (${options.orgId ?? null}, ${kind}, ${JSON.stringify(options.payload ?? {})}::jsonb,
            ${options.runAt ?? new Date()}, ${options.dedupeKey ?? null}, ${options.maxAttempts ?? 5})
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
    RETURNING id`.execute(db);
  return row.rows[0]?.id ?? null;
}

/** Queues a refit of the organisation's analyses unless one is already pending. */
export async function enqueueRefit(db: Kysely<Database>, orgId: string, runAt = new Date()): Promise<void> {
  await enqueueJob(db, 'refit_analyses', { orgId, runAt, dedupeKey: orgId });
}

registerJob('refit_analyses', async ({ db, job }) => {
  if (!job.orgId) return;
  await refitExpectedCourse(db, job.orgId, PRIMARY_OUTCOME.instrumentId, PRIMARY_OUTCOME.scaleId);
  await runTherapistEffects(
    db,
    job.orgId,
    PRIMARY_OUTCOME.instrumentId,
    PRIMARY_OUTCOME.scaleId,
    PRIMARY_OUTCOME.direction,
  );
  // The dashboards read the fresh expected course, so they are rebuilt after it.
  await refreshDashboardCells(db, job.orgId, await outcomeInstruments(db, job.orgId, shippedInstruments().all()));
});

interface Claimed {
  id: number;
  org_id: string | null;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  lease_token: string;
}

/**
 * Claims one due job: queued and due, or running with an expired lease (its worker died). Returns null
 * when none is due. A job whose lease ran out on its last attempt is marked failed instead.
 */
export async function claimJob(db: Kysely<Database>, leaseMs?: number): Promise<Claimed | null> {
  for (;;) {
    const claimed = await sql<Claimed>`
      UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_at = now(),
        lease_token = gen_random_uuid(),
        lease_until = now() + ${leaseMs ?? DEFAULT_LEASE_MS} * interval '1 millisecond'
      WHERE id = (
        SELECT id FROM jobs
        WHERE (status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now())
        ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, org_id, kind, payload, attempts, max_attempts, lease_token::text AS lease_token`.execute(db);
    const job = claimed.rows[0];
    if (!job) return null;
    if (job.attempts <= job.max_attempts) return job;
    await finish(db, job, 'failed', `gave up after ${job.max_attempts} attempts (lease expired)`);
  }
}

async function finish(db: Kysely<Database>, job: Claimed, status: 'done' | 'failed' | 'queued', error?: string) {
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (job.attempts - 1), BACKOFF_MAX_MS);
  await sql`
    UPDATE jobs SET status = ${status}, lease_until = NULL, lease_token = NULL, last_error = ${error ?? null},
      run_at = CASE WHEN ${status} = 'queued' THEN now() + ${backoff} * interval '1 millisecond' ELSE run_at END
    WHERE id = ${job.id} AND lease_token = ${job.lease_token}::uuid`.execute(db);
}

/** A feature's job handler that needs only the job's id, organisation and JSON payload. */
export type FeatureJobHandler = (job: {
  id: number;
  orgId: string | null;
  payload: Record<string, unknown>;
}) => Promise<void>;

/** Registers a feature's job kind on the one queue (once, when its routes are registered). */
export function registerJobType(kind: string, handler: FeatureJobHandler): void {
  registerJob(kind, ({ job }) =>
    handler({ id: job.id, orgId: job.orgId, payload: (job.payload ?? {}) as Record<string, unknown> }),
  );
}

/** Queues jobs of registered kinds; one statement however many. */
export async function enqueueJobs(
  db: Kysely<Database>,
  jobs: ReadonlyArray<{ kind: string; orgId: string | null; payload?: Record<string, unknown>; runAt?: Date }>,
): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => ({
        org_id: j.orgId,
        kind: j.kind,
        payload: JSON.stringify(j.payload ?? {}),
        run_at: j.runAt ?? new Date(),
      })),
    )
    .execute();
}

/** Claims and runs one due job; returns false when none was due. */
export async function runNextJob(
  db: Kysely<Database>,
  log?: FastifyBaseLogger,
  leaseOverrideMs?: number,
): Promise<boolean> {
  // Leases differ per kind, but the kind is known only after the claim: claim with the longest, then
  // renew at the kind's own pace. SPIEGEL_JOB_LEASE_MS (leaseOverrideMs) sets one lease for every kind.
  const longest = leaseOverrideMs ?? Math.max(DEFAULT_LEASE_MS, ...[...kinds.values()].map((k) => k.leaseMs));
  const job = await claimJob(db, longest);
  if (!job) return false;
  const kind = kinds.get(job.kind);
  const leaseMs = leaseOverrideMs ?? kind?.leaseMs ?? DEFAULT_LEASE_MS;
  const renew = setInterval(
    () => {
      sql`UPDATE jobs SET lease_until = now() + ${leaseMs} * interval '1 millisecond'
        WHERE id = ${job.id} AND lease_token = ${job.lease_token}::uuid`
        .execute(db)
        .catch((error: unknown) => log?.warn({ err: error, job: job.id }, 'job lease renewal failed'));
    },
    Math.max(50, leaseMs / 3),
  );
  renew.unref();
  try {
    if (!kind) throw new Error(`no handler registered for job kind ${job.kind}`);
    await kind.handler({
      db,
      log,
      job: { id: job.id, orgId: job.org_id, kind: job.kind, payload: job.payload, attempts: job.attempts },
    });
    clearInterval(renew);
    await finish(db, job, 'done');
  } catch (error) {
    clearInterval(renew);
    log?.error({ err: error, job: job.id, attempt: job.attempts }, 'job failed');
    const message = (error as Error).message ?? String(error);
    await finish(db, job, job.attempts < job.max_attempts ? 'queued' : 'failed', message).catch((e: unknown) =>
      log?.error({ err: e, job: job.id }, 'job outcome not stored; the lease will expire and the job rerun'),
    );
  }
  return true;
}

// Refits read every score of an organisation, so they run at night (Dutch time), when clients are not
// filling in forms: 02:00–05:00 Europe/Amsterdam, at most once per night. An organisation that has
// never been fitted is fitted at the first check, whatever the hour, so a new one gets its curves.
const NIGHT = { fromHour: 2, toHour: 5, timeZone: 'Europe/Amsterdam' };
const REFIT_AFTER_MS = 20 * 3600 * 1000;
const hourFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: NIGHT.timeZone });

/** Whether a refit is due at `now`, given when the organisation was last fitted (null: never). */
export function refitDue(lastRefit: Date | null, now: Date): boolean {
  if (!lastRefit) return true;
  const hour = Number(hourFormat.format(now));
  return hour >= NIGHT.fromHour && hour < NIGHT.toHour && now.getTime() - lastRefit.getTime() >= REFIT_AFTER_MS;
}

/** Queues the nightly refit for every organisation that is due (see refitDue). */
export async function scheduleNightly(db: Kysely<Database>, now = new Date()): Promise<void> {
  const orgs = await db.selectFrom('organisations').select('id').execute();
  for (const org of orgs) {
    const last = await db
      .selectFrom('analysis_runs')
      .select('created_at')
      .where('org_id', '=', org.id)
      .where('kind', '=', 'expected_course')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (refitDue(last ? new Date(last.created_at) : null, now)) await enqueueRefit(db, org.id);
  }
}

// Often enough to land inside the three-hour night window every night.
const SCHEDULE_CHECK_MS = 15 * 60 * 1000;

/** Polls for jobs in the background; returns a stop function that waits for the running job. */
export function startJobWorker(
  db: Kysely<Database>,
  log?: FastifyBaseLogger,
  intervalMs = 5_000,
  leaseMs?: number,
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let lastSchedule = 0;
  const tick = async () => {
    if (stopped) return;
    try {
      if (Date.now() - lastSchedule > SCHEDULE_CHECK_MS) {
        lastSchedule = Date.now();
        await scheduleNightly(db);
      }
      while (!stopped && (await runNextJob(db, log, leaseMs)));
    } catch (error) {
      log?.error({ err: error }, 'job worker error');
    }
  };
  const timer = setInterval(() => (running = running.then(tick)), intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

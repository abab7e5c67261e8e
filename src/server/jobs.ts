import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../store/schema.ts';
import { refitExpectedCourse } from '../store/analytics/expected-course.ts';
import { runTherapistEffects } from '../store/analytics/therapist-effects.ts';

/**
 * A small Postgres-backed job queue (SELECT … FOR UPDATE SKIP LOCKED), so several app instances can
 * share one database without running a job twice. pg-boss 12 needs Node ≥ 22.12; this is ~80 lines.
 * Jobs: 'refit_analyses' per organisation (expected course + therapist effects), nightly and on demand.
 */
export const PRIMARY_OUTCOME = { instrumentId: 'phq9', scaleId: 'total', direction: 'higher-is-worse' as const };

export async function enqueueRefit(db: Kysely<Database>, orgId: string, runAt = new Date()): Promise<void> {
  const pending = await db
    .selectFrom('jobs')
    .select('id')
    .where('org_id', '=', orgId)
    .where('kind', '=', 'refit_analyses')
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (!pending)
    await db
      .insertInto('jobs')
      .values({ org_id: orgId, kind: 'refit_analyses', payload: JSON.stringify({}), run_at: runAt })
      .execute();
}

/** A job kind registered by a feature (the refit is built in). Payloads are JSON objects. */
export type JobHandler = (job: { id: number; orgId: string | null; payload: Record<string, unknown> }) => Promise<void>;
const handlers = new Map<string, JobHandler>();

/** Registers the handler of a job kind (a feature does this once, when its routes are registered). */
export function registerJobType(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
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
export async function runNextJob(db: Kysely<Database>, log?: FastifyBaseLogger): Promise<boolean> {
  const job = await db.transaction().execute(async (trx) => {
    const next = await sql<{ id: number; org_id: string; kind: string; payload: Record<string, unknown> }>`
      SELECT id, org_id, kind, payload FROM jobs WHERE status = 'queued' AND run_at <= now() ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(
      trx,
    );
    const row = next.rows[0];
    if (!row) return null;
    await trx
      .updateTable('jobs')
      .set({ status: 'running', locked_at: new Date(), attempts: sql`attempts + 1` })
      .where('id', '=', row.id)
      .execute();
    return row;
  });
  if (!job) return false;
  try {
    if (job.kind === 'refit_analyses') {
      await refitExpectedCourse(db, job.org_id, PRIMARY_OUTCOME.instrumentId, PRIMARY_OUTCOME.scaleId);
      await runTherapistEffects(
        db,
        job.org_id,
        PRIMARY_OUTCOME.instrumentId,
        PRIMARY_OUTCOME.scaleId,
        PRIMARY_OUTCOME.direction,
      );
    } else {
      const handler = handlers.get(job.kind);
      if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
      await handler({ id: job.id, orgId: job.org_id, payload: job.payload ?? {} });
    }
    await db.updateTable('jobs').set({ status: 'done' }).where('id', '=', job.id).execute();
  } catch (error) {
    log?.error({ err: error, job: job.id }, 'job failed');
    await db
      .updateTable('jobs')
      .set({ status: 'failed', last_error: (error as Error).message })
      .where('id', '=', job.id)
      .execute();
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
export function startJobWorker(db: Kysely<Database>, log?: FastifyBaseLogger, intervalMs = 5_000): () => Promise<void> {
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
      while (!stopped && (await runNextJob(db, log)));
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

import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, freshStore } from '../store/testing.ts';
import { claimJob, enqueueJob, enqueueRefit, registerJob, runNextJob } from './jobs.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDialect('job queue with leases', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());
  const status = async (id: number) =>
    store.db
      .selectFrom('jobs')
      .select(['status', 'attempts', 'run_at', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('reclaims a job whose worker died once its lease has run out, and finishes it', async () => {
    const ran: number[] = [];
    registerJob('test_crash', async ({ job }) => void ran.push(job.attempts), { leaseMs: 300 });
    const id = (await enqueueJob(store.db, 'test_crash'))!;
    // A worker claims the job and dies (never renews, never finishes).
    const dead = await claimJob(store.db, 300);
    expect(dead?.id).toBe(id);
    expect(await runNextJob(store.db)).toBe(false); // the lease still holds: nobody else runs it
    await wait(400);
    expect(await runNextJob(store.db)).toBe(true);
    expect(ran).toEqual([2]);
    expect(await status(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('retries a failing job with backoff and gives up after max attempts, never stuck in running', async () => {
    registerJob('test_fail', async () => {
      throw new Error('boom');
    });
    const id = (await enqueueJob(store.db, 'test_fail', { maxAttempts: 2 }))!;
    expect(await runNextJob(store.db)).toBe(true);
    const first = await status(id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom' });
    expect(new Date(first.run_at).getTime()).toBeGreaterThan(Date.now() + 20_000); // 30 s backoff
    expect(await runNextJob(store.db)).toBe(false); // not due yet
    await sql`UPDATE jobs SET run_at = now() WHERE id = ${id}`.execute(store.db);
    expect(await runNextJob(store.db)).toBe(true);
    expect(await status(id)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('marks a job failed when its lease runs out on the last attempt', async () => {
    const id = (await enqueueJob(store.db, 'test_crash', { maxAttempts: 1 }))!;
    await claimJob(store.db, 50);
    await wait(100);
    expect(await runNextJob(store.db)).toBe(false);
    expect(await status(id)).toMatchObject({ status: 'failed' });
  });

  it('never runs a job twice at once, with many workers claiming together', async () => {
    const seen: number[] = [];
    registerJob('test_once', async ({ job }) => {
      seen.push(job.id);
      await wait(30);
    });
    for (let i = 0; i < 5; i++) await enqueueJob(store.db, 'test_once', { dedupeKey: `k${i}` });
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (await runNextJob(store.db));
      }),
    );
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5); // each job ran once
    const left = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM jobs WHERE kind = 'test_once' AND status <> 'done'`.execute(store.db);
    expect(left.rows[0].n).toBe(0);
  });

  it('keeps one pending refit per organisation, also when enqueued concurrently', async () => {
    const org = await store.db
      .insertInto('organisations')
      .values({ slug: 'jobs-org', name: 'J', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await Promise.all(Array.from({ length: 10 }, () => enqueueRefit(store.db, org.id)));
    const rows = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM jobs WHERE kind = 'refit_analyses' AND org_id = ${org.id}`.execute(store.db);
    expect(rows.rows[0].n).toBe(1);
    expect(await runNextJob(store.db)).toBe(true);
    const done = await store.db
      .selectFrom('jobs')
      .select('status')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
  });
});

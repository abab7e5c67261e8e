import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { audit } from './audit.ts';
import { applyAuditRetention, CHECKPOINT_ACTION, verifyAuditTrail } from './retention.ts';
import { describeEachDialect, freshStore } from './testing.ts';

const DAY = 86_400_000;

describeEachDialect('audit retention with a checkpoint', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let orgA: string;
  let orgB: string;
  const settings = (id: string, value: Record<string, unknown>) => store.db.updateTable('organisations').set({ settings: JSON.stringify(value) }).where('id', '=', id).execute();

  beforeAll(async () => {
    store = await freshStore(dialect);
    const org = (slug: string) => store.db.insertInto('organisations').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow();
    orgA = (await org('ret-a')).id;
    orgB = (await org('ret-b')).id;
    for (const orgId of [orgA, orgA, orgB, orgA, null, orgA]) {
      await audit(store.db, { orgId, actorId: null, actorRole: 'therapist', action: 'episode.read', outcome: 'ok' });
    }
  });
  afterAll(() => store.drop());

  it('does nothing while no organisation sets a retention period', async () => {
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 1000 * DAY))).toEqual({ deleted: 0, throughSeq: null });
  });

  it('deletes only the oldest rows every organisation lets go, and leaves a verifiable checkpoint', async () => {
    await settings(orgA, { auditRetentionDays: 90 }); // B keeps its rows forever: row 3 blocks the cut
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 100 * DAY))).toEqual({ deleted: 2, throughSeq: 2 });
    const checkpoint = await store.db.selectFrom('audit_log').select(['seq', 'details']).where('action', '=', CHECKPOINT_ACTION).executeTakeFirstOrThrow();
    expect(checkpoint).toMatchObject({ seq: 7, details: { throughSeq: 2, deleted: 2 } });
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 5, firstSeq: 3, checkpoint: { throughSeq: 2 }, problems: [] });
  });

  it('follows the longest retention for the shared chain and always keeps the newest row', async () => {
    await settings(orgB, { auditRetentionDays: 365 });
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 100 * DAY))).toEqual({ deleted: 0, throughSeq: null });
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 400 * DAY))).toEqual({ deleted: 4, throughSeq: 6 });
    const left = await store.db.selectFrom('audit_log').select(['seq', 'action']).orderBy('seq').execute();
    expect(left).toEqual([{ seq: 7, action: CHECKPOINT_ACTION }, { seq: 8, action: CHECKPOINT_ACTION }]);
    expect((await verifyAuditTrail(store.db)).problems).toEqual([]);
  });

  it('still detects a modified row and a row deleted outside retention', async () => {
    await audit(store.db, { orgId: orgA, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' });
    await audit(store.db, { orgId: orgA, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' });
    await sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 9`.execute(store.db);
    expect((await verifyAuditTrail(store.db)).problems).toContainEqual({ seq: 9, problem: 'hash_mismatch', message: 'Row 9 was altered after it was written.' });
    await sql`UPDATE audit_log SET outcome = 'ok' WHERE seq = 9`.execute(store.db);
    await sql`DELETE FROM audit_log WHERE seq = 7`.execute(store.db); // the first retained row
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[8, 'gap'], [8, 'broken_link']]);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { audit, auditInsertValues, sealAuditTrail } from './audit.ts';
import { applyAuditRetention, CHECKPOINT_ACTION, readCheckpoint, verifyAuditTrail } from './retention.ts';
import { describeEachDialect, freshStore } from './testing.ts';

const DAY = 86_400_000;

it('reads checkpoints written before sealing (throughSeq) and after it (throughPos)', () => {
  expect(readCheckpoint({ throughSeq: 4, lastHash: 'h', deleted: 4 })).toEqual({ throughPos: 4, lastHash: 'h' });
  expect(readCheckpoint({ throughPos: 5, lastHash: 'h' })).toEqual({ throughPos: 5, lastHash: 'h' });
  expect(readCheckpoint({ lastHash: 'h' })).toBeNull();
});

describeEachDialect('audit retention with a checkpoint', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let orgA: string;
  let orgB: string;
  const settings = (id: string, value: Record<string, unknown>) =>
    store.db
      .updateTable('organisations')
      .set({ settings: JSON.stringify(value) })
      .where('id', '=', id)
      .execute();

  beforeAll(async () => {
    store = await freshStore(dialect);
    const org = (slug: string) =>
      store.db.insertInto('organisations').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow();
    orgA = (await org('ret-a')).id;
    orgB = (await org('ret-b')).id;
    for (const orgId of [orgA, orgA, orgB, orgA, null, orgA]) {
      await audit(store.db, { orgId, actorId: null, actorRole: 'therapist', action: 'episode.read', outcome: 'ok' });
    }
  });
  afterAll(() => store.drop());

  it('does nothing while no organisation sets a retention period, but seals what is pending', async () => {
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 1000 * DAY))).toEqual({
      deleted: 0,
      throughPos: null,
    });
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 6, pending: 0, problems: [] });
  });

  it('deletes only the oldest rows every organisation lets go, and leaves a verifiable checkpoint', async () => {
    await settings(orgA, { auditRetentionDays: 90 }); // B keeps its rows forever: row 3 blocks the cut
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 100 * DAY))).toEqual({
      deleted: 2,
      throughPos: 2,
    });
    const checkpoint = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'chain_pos', 'details'])
      .where('action', '=', CHECKPOINT_ACTION)
      .executeTakeFirstOrThrow();
    expect(checkpoint).toMatchObject({ seq: 7, chain_pos: 7, details: { throughPos: 2, deleted: 2 } });
    expect(await verifyAuditTrail(store.db)).toMatchObject({
      rows: 5,
      firstPos: 3,
      checkpoint: { throughPos: 2 },
      pending: 0,
      problems: [],
    });
  });

  it('follows the longest retention for the shared chain and always keeps the newest row', async () => {
    await settings(orgB, { auditRetentionDays: 365 });
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 100 * DAY))).toEqual({
      deleted: 0,
      throughPos: null,
    });
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 400 * DAY))).toEqual({
      deleted: 4,
      throughPos: 6,
    });
    const left = await store.db.selectFrom('audit_log').select(['seq', 'chain_pos', 'action']).orderBy('seq').execute();
    expect(left).toEqual([
      { seq: 7, chain_pos: 7, action: CHECKPOINT_ACTION },
      { seq: 8, chain_pos: 8, action: CHECKPOINT_ACTION },
    ]);
    expect((await verifyAuditTrail(store.db)).problems).toEqual([]);
  });

  it('seals pending rows first and keeps those inside retention', async () => {
    const later = new Date(Date.now() + 390 * DAY);
    for (const orgId of [orgA, orgB]) {
      // seq 9 and 10, pending, written "later"
      await store.db
        .insertInto('audit_log')
        .values(
          auditInsertValues({ orgId, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' }, later),
        )
        .execute();
    }
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 2, pending: 2, problems: [] });
    // Both checkpoints (system rows) are past the longest retention; the new rows are not.
    expect(await applyAuditRetention(store.db, new Date(Date.now() + 400 * DAY))).toEqual({
      deleted: 2,
      throughPos: 8,
    });
    const left = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'chain_pos', 'action'])
      .orderBy('chain_pos')
      .execute();
    expect(left).toEqual([
      { seq: 9, chain_pos: 9, action: 'auth.login' },
      { seq: 10, chain_pos: 10, action: 'auth.login' },
      { seq: 11, chain_pos: 11, action: CHECKPOINT_ACTION },
    ]);
    expect(await verifyAuditTrail(store.db)).toMatchObject({
      rows: 3,
      firstPos: 9,
      checkpoint: { throughPos: 8 },
      pending: 0,
      problems: [],
    });
  });

  it('still detects a modified row and a row deleted outside retention', async () => {
    await audit(store.db, { orgId: orgA, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' }); // seq 12
    await audit(store.db, { orgId: orgA, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' }); // seq 13
    expect(await sealAuditTrail(store.db)).toBe(2);
    await sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 12`.execute(store.db);
    expect((await verifyAuditTrail(store.db)).problems).toContainEqual({
      seq: 12,
      problem: 'hash_mismatch',
      message: 'Row 12 was altered after it was written.',
    });
    await sql`UPDATE audit_log SET outcome = 'ok' WHERE seq = 12`.execute(store.db);
    await sql`DELETE FROM audit_log WHERE seq = 9`.execute(store.db); // the first retained row
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems).toEqual([
      {
        seq: 10,
        problem: 'gap',
        message: 'Chain positions 9–9 before row 10 are missing and no retention checkpoint accounts for them.',
      },
      { seq: 10, problem: 'broken_link', message: 'Row 10 does not link to the row before it.' },
    ]);
  });
});

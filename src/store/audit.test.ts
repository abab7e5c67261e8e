import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore } from './testing.ts';
import { appendAudit, audit } from './audit.ts';
import { verifyAuditTrail } from './retention.ts';

describeEachDialect('audit log', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
    for (let i = 0; i < 4; i++) {
      await audit(store.db, { orgId: null, actorId: null, actorRole: 'therapist', action: 'episode.read', subjectType: 'episode', subjectId: `e${i}`, outcome: 'allowed', details: { i, nested: { z: 1, a: 2 } } });
    }
    await Promise.all(
      [5, 6, 7].map((i) =>
        store.db.transaction().execute((trx) => appendAudit(trx, { orgId: null, actorId: null, actorRole: null, action: 'login', outcome: 'ok', details: { i } })),
      ),
    );
  });
  afterAll(() => store.drop());

  it('verifies an intact chain, including concurrent appends', async () => {
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 7, problems: [] });
  });

  it('detects a modified row', async () => {
    await sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 2`.execute(store.db);
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems).toContainEqual({ seq: 2, problem: 'hash_mismatch', message: 'Row 2 was altered after it was written.' });
    await sql`UPDATE audit_log SET outcome = 'allowed' WHERE seq = 2`.execute(store.db);
    expect((await verifyAuditTrail(store.db)).problems).toEqual([]);
  });

  it('detects a deleted row', async () => {
    await sql`DELETE FROM audit_log WHERE seq = 3`.execute(store.db);
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[4, 'gap'], [4, 'broken_link']]);
  });
});

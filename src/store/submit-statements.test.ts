import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { describeEachDialect, freshStore } from './testing.ts';
import { auditInsertValues } from './audit.ts';
import { readInvitations, writeSubmissions, type SubmitWrite } from './submit-statements.ts';
import type { Database } from './schema.ts';

/** A complete submission for an invitation that does not exist: the write claims nothing. */
function orphanSubmission(): SubmitWrite {
  const responseId = randomUUID();
  const orgId = randomUUID();
  return {
    invitation_id: randomUUID(),
    submission_key: 'k'.repeat(22),
    now: new Date(),
    org_id: orgId,
    episode_id: randomUUID(),
    participant_id: randomUUID(),
    therapist_id: randomUUID(),
    session_number: 2,
    responses: [
      {
        id: responseId,
        instrument_id: 'phq9',
        instrument_version: null,
        questionnaire_response: { resourceType: 'QuestionnaireResponse' },
      },
    ],
    scores: [{ response_id: responseId, scale_id: 'total', instrument_id: 'phq9', value: 12, band: null, risk: false }],
    alerts: [
      { id: randomUUID(), response_id: responseId, rule: 'risk', event_key: 's2', severity: 'urgent', reason: {} },
    ],
    audit: auditInsertValues({
      orgId,
      actorId: null,
      actorRole: 'client',
      action: 'response.submit',
      outcome: 'ok',
      details: { risk: false },
    }),
  };
}

const counts = async (db: Kysely<Database>) => {
  const row = await sql<{ responses: number; scores: number; alerts: number; audit: number }>`SELECT
    (SELECT count(*) FROM responses) AS responses, (SELECT count(*) FROM scores) AS scores,
    (SELECT count(*) FROM alerts) AS alerts, (SELECT count(*) FROM audit_log) AS audit`.execute(db);
  return row.rows[0];
};

describeEachDialect('submit statements', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());

  it('reads nothing for unknown token hashes, one answer per hash in order', async () => {
    expect(await readInvitations(store.db, ['a'.repeat(64), 'b'.repeat(64)])).toEqual([undefined, undefined]);
  });

  it('writes nothing for a submission whose invitation it cannot claim, in a batch of several', async () => {
    const before = await counts(store.db);
    const written = await writeSubmissions(store.db, [orphanSubmission(), orphanSubmission(), orphanSubmission()]);
    expect(written).toEqual([
      { claimed: false, alerts: 0 },
      { claimed: false, alerts: 0 },
      { claimed: false, alerts: 0 },
    ]);
    expect(await counts(store.db)).toEqual(before);
  });

  it('keeps each prepared statement on one generic plan on PostgreSQL, instead of planning every execution', async () => {
    if (dialect !== 'postgres') return;
    const plans = await store.db.connection().execute(async (db) => {
      for (let i = 0; i < 8; i++) {
        await readInvitations(
          db,
          Array.from({ length: 1 + (i % 3) }, () => randomUUID().replaceAll('-', '').repeat(2)),
        );
        await writeSubmissions(db, Array.from({ length: 1 + (i % 3) }, orphanSubmission));
      }
      return sql<{
        name: string;
        generic_plans: number;
        custom_plans: number;
      }>`SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name`.execute(db);
    });
    expect(plans.rows.map((r) => r.name.replace(/-[0-9a-f]{12}$/, ''))).toEqual(['submit-read', 'submit-write']);
    // PostgreSQL tries five custom plans before it compares; after that every execution is generic.
    // (The connection may have run a statement before this test, hence "at least".)
    for (const row of plans.rows) {
      expect(row.custom_plans).toBe(5);
      expect(row.generic_plans).toBeGreaterThanOrEqual(3);
    }
  });
});

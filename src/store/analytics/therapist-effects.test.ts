import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore } from '../testing.ts';
import { buildInterceptStats, fitInterceptModel } from '../../domain/stats/mixed/index.ts';
import { fitTherapistEffects } from './therapist-effects.ts';
import { loadDemo } from '../demo/load.ts';
import { shippedInstruments } from '../instrument-registry.ts';

describeEachDialect('therapist effects from the database', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let orgId: string;
  beforeAll(async () => {
    store = await freshStore(dialect);
    await loadDemo(store.db, shippedInstruments());
    orgId = (await store.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id;
  }, 300_000);
  afterAll(() => store.drop());

  it('matches the in-memory fit on the same episodes (the SQL heavy pass loses nothing)', async () => {
    const summary = (await fitTherapistEffects(store.db, orgId, 'phq9', 'total', 'higher-is-worse'))!;
    const rows = await sql<{ therapist_id: string; intake: number; post: number }>`
      SELECT s.therapist_id,
             (array_agg(s.value ORDER BY s.session_number))[1] AS intake,
             (array_agg(s.value ORDER BY s.session_number DESC))[1] AS post
      FROM scores s JOIN episodes e ON e.id = s.episode_id
      WHERE s.instrument_id = 'phq9' AND s.scale_id = 'total' AND e.status = 'completed' AND e.modality = 'individual'
      GROUP BY s.episode_id, s.therapist_id HAVING count(*) >= 2`.execute(store.db);
    const mean = rows.rows.reduce((s, r) => s + r.intake, 0) / rows.rows.length;
    const stats = buildInterceptStats(
      rows.rows.map((r) => ({ group: r.therapist_id, x: [1, r.intake - mean], y: r.post })),
      ['(Intercept)', 'intake_c'],
      'post',
    );
    const direct = fitInterceptModel(stats, { group: 'therapist' });
    expect(summary.episodes).toBe(rows.rows.length);
    expect(summary.fixed[1].estimate).toBeCloseTo(direct.fixed[1].estimate, 8);
    expect(summary.icc).toBeCloseTo(direct.icc, 6);
    const byId = new Map(direct.therapistEffects.map((e) => [e.therapist, e]));
    for (const e of summary.estimates) expect(e.effect).toBeCloseTo(byId.get(e.therapistId)!.blup, 6);
    expect(summary.icc).toBeGreaterThan(0.005);
    expect(summary.icc).toBeLessThan(0.2);
    expect(summary.iccCi95![0]).toBeLessThanOrEqual(summary.icc);
    expect(summary.strata).toHaveLength(2);
    expect(summary.eligibleTherapists).toBeGreaterThanOrEqual(5);
  });
});

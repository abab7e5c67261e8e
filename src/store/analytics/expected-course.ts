import type { Kysely } from 'kysely';
import { COURSE_COLUMNS, fitGrowthModel, growthStatsFromSums, prepareGrowth } from '../../domain/stats/mixed/index.ts';
import {
  curveFromModel,
  MIN_EPISODES_FOR_CURVE,
  MIN_THERAPISTS_FOR_CURVE,
  timeTransform,
  type ExpectedCurve,
} from '../../domain/feedback/expected.ts';
import type { Database } from '../schema.ts';
import { courseSums } from './growth-sums.ts';

export type RefitOutcome =
  | { status: 'done'; runId: string; curve: ExpectedCurve; seconds: number }
  | { status: 'insufficient'; runId: string; reason: string };

/**
 * Refits the expected course of one outcome scale from the organisation's completed episodes and
 * stores it as an analysis run (method, data window, date). Below the documented minimum it stores
 * why, and the rule-based fallback stays in force.
 */
export async function refitExpectedCourse(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
  scaleId: string,
  now = new Date(),
): Promise<RefitOutcome> {
  const started = performance.now();
  const { id: runId } = await db
    .insertInto('analysis_runs')
    .values({
      org_id: orgId,
      kind: 'expected_course',
      instrument_id: instrumentId,
      status: 'running',
      method: 'mixed-model (REML), score ~ log(session+1) * intake + (1 + log(session+1) | client) + (1 | therapist)',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const sums = await courseSums(db, orgId, instrumentId, scaleId);
    if (sums.window.episodes < MIN_EPISODES_FOR_CURVE || sums.window.therapists < MIN_THERAPISTS_FOR_CURVE) {
      const reason = `Needs at least ${MIN_EPISODES_FOR_CURVE} completed episodes from ${MIN_THERAPISTS_FOR_CURVE} therapists; found ${sums.window.episodes} from ${sums.window.therapists}.`;
      await db
        .updateTable('analysis_runs')
        .set({ status: 'failed', error: reason, data_window: JSON.stringify(sums.window), finished_at: new Date() })
        .where('id', '=', runId)
        .execute();
      return { status: 'insufficient', runId, reason };
    }
    const stats = growthStatsFromSums({
      columns: COURSE_COLUMNS,
      response: 'score',
      patients: sums.patients,
      wtw: sums.wtw,
      shift: sums.shift,
    });
    const fit = fitGrowthModel(prepareGrowth(stats, { slope: true, therapist: true }), {
      slopeName: 't',
      names: { patient: 'client', therapist: 'therapist' },
      skipProfile: true,
    });
    const beta = fit.fixed.map((f) => f.estimate) as [number, number, number, number];
    const curve = curveFromModel(
      { fit, beta, time: timeTransform },
      { instrumentId, scaleId, fittedAt: now.toISOString(), dataWindow: sums.window },
    );
    await db
      .updateTable('analysis_runs')
      .set({
        status: 'done',
        result: JSON.stringify(curve),
        data_window: JSON.stringify(sums.window),
        finished_at: new Date(),
      })
      .where('id', '=', runId)
      .execute();
    return { status: 'done', runId, curve, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await db
      .updateTable('analysis_runs')
      .set({ status: 'failed', error: (error as Error).message, finished_at: new Date() })
      .where('id', '=', runId)
      .execute();
    throw error;
  }
}

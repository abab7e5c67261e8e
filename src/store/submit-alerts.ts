import type { Kysely } from 'kysely';

import {
  evaluateAlerts,
  DEFAULT_RULE_SETTINGS,
  type AlertDraft,
  type AlertInput,
  type OutcomeSeries,
} from '../domain/feedback/alerts.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../domain/feedback/expected.ts';
import { allianceScale, outcomeScale } from '../domain/feedback/instrument-roles.ts';
import type { CompiledScorer, ScoreResult } from '../domain/instruments/compile.ts';
import type { Database } from './schema.ts';

/** One stored score of the participant: [instrument id, scale id, session number, value]. */
/** One scored questionnaire of a submission (submit.ts builds them; the alert rules read them). */
export interface ScoredAnswer {
  scorer: CompiledScorer;
  /** The organisation's version of the instrument text the client answered; null for the shipped text. */
  version?: number | null;
  response: Record<string, unknown>;
  result: ScoreResult;
}

export type SeriesPoint = [string, string, number, number];

export interface AlertContext {
  orgId: string;
  participantId: string;
  participantLabel: string;
  orgSettings: Record<string, unknown>;
  sessionNumber: number;
  responseIds: string[];
  answers: ScoredAnswer[];
  /** The participant's earlier scores for the submitted instruments, by session then time. */
  history: SeriesPoint[];
}

/**
 * The alerts a new measurement raises: the alert rules over the participant's series with the new
 * scores appended (they are stored in the same statement that stores the alerts).
 */
export async function alertDrafts(db: Kysely<Database>, ctx: AlertContext): Promise<AlertDraft[]> {
  const series = (instrumentId: string, scaleId: string, newValue: number | null | undefined) => {
    const points = ctx.history
      .filter(([i, s]) => i === instrumentId && s === scaleId)
      .map(([, , session, value]) => ({ session, value }));
    if (newValue !== null && newValue !== undefined) points.push({ session: ctx.sessionNumber, value: newValue });
    // Stable: the new point was measured last, so it stays after earlier points of its session.
    return points.sort((a, b) => a.session - b.session);
  };
  const outcomes: OutcomeSeries[] = [];
  let alliance: AlertInput['alliance'] = null;
  for (const answer of ctx.answers) {
    const scoreOf = (scaleId: string) => answer.result.scales.find((s) => s.id === scaleId);
    const allianceInfo = allianceScale(answer.scorer);
    if (allianceInfo) {
      alliance = {
        instrumentId: answer.scorer.instrumentId,
        lowThreshold: allianceInfo.lowThreshold,
        points: series(answer.scorer.instrumentId, allianceInfo.scale.id, scoreOf(allianceInfo.scale.id)?.value),
      };
      continue;
    }
    const scale = outcomeScale(answer.scorer);
    if (!scale) continue;
    const scored = scoreOf(scale.id);
    const points = series(answer.scorer.instrumentId, scale.id, scored?.value);
    if (!scored || points.length === 0) continue;
    const intake = points[0].value;
    const curve = await cachedCurve(db, ctx.orgId, answer.scorer.instrumentId);
    const expected = curve
      ? expectedAt(curve, intake, ctx.sessionNumber)
      : ruleBasedExpectation(intake, ctx.sessionNumber, scale.direction === 'higher-is-worse');
    outcomes.push({
      instrumentId: answer.scorer.instrumentId,
      instrumentName: {
        nl: scale.name.nl ?? scale.name.en ?? scale.id,
        en: scale.name.en ?? scale.name.nl ?? scale.id,
      },
      scaleId: scale.id,
      params: scored.reliableChange,
      points,
      expected,
    });
  }
  const risks = ctx.answers.flatMap((a) =>
    a.result.risks.map((r) => ({
      instrumentId: a.scorer.instrumentId,
      item: r.item,
      answerScore: r.answerScore,
      label: { nl: r.label.nl ?? r.label.en ?? r.code, en: r.label.en ?? r.label.nl ?? r.code },
    })),
  );
  const rules = { ...DEFAULT_RULE_SETTINGS, ...((ctx.orgSettings.alertRules as object | undefined) ?? {}) };
  return evaluateAlerts({
    participantId: ctx.participantId,
    participantLabel: ctx.participantLabel,
    sessionNumber: ctx.sessionNumber,
    responseIds: ctx.responseIds,
    risks,
    outcomes,
    alliance,
    rules,
  });
}

// Curves change only when a refit finishes (nightly or on demand); a minute's staleness is harmless
// and saves a query on every submit.
const CURVE_TTL_MS = 60_000;
const curveCache = new Map<string, { at: number; curve: ExpectedCurve | null }>();

async function cachedCurve(db: Kysely<Database>, orgId: string, instrumentId: string): Promise<ExpectedCurve | null> {
  const key = `${orgId}|${instrumentId}`;
  const hit = curveCache.get(key);
  if (hit && Date.now() - hit.at < CURVE_TTL_MS) return hit.curve;
  const curve = await latestCurve(db, orgId, instrumentId);
  curveCache.set(key, { at: Date.now(), curve });
  return curve;
}

/** The newest fitted expected-course curve for an instrument, if any. */
export async function latestCurve(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
): Promise<ExpectedCurve | null> {
  const run = await db
    .selectFrom('analysis_runs')
    .select('result')
    .where('org_id', '=', orgId)
    .where('kind', '=', 'expected_course')
    .where('instrument_id', '=', instrumentId)
    .where('status', '=', 'done')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const curve = run?.result as unknown as ExpectedCurve | null | undefined;
  return curve && curve.method === 'mixed-model' ? curve : null;
}

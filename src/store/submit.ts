import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';

import type { CompiledScorer, ScoreResult } from '../domain/instruments/compile.ts';
import { evaluateAlerts, DEFAULT_RULE_SETTINGS, type AlertInput, type OutcomeSeries } from '../domain/feedback/alerts.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../domain/feedback/expected.ts';
import { allianceScale, outcomeScale } from '../domain/feedback/instrument-roles.ts';
import { appendAudit } from './audit.ts';
import { scoreRowsFromResult } from './scoring.ts';
import type { Database } from './schema.ts';
import { tokenHash } from './invitations.ts';

export interface OpenInvitation {
  id: string;
  orgId: string;
  episodeId: string;
  participantId: string;
  sessionNumber: number;
  instrumentIds: string[];
  lang: 'nl' | 'en';
  orgSettings: Record<string, unknown>;
}

/** The invitation behind a token, if it can still be filled in. Every other case is one answer: null. */
export async function openInvitation(db: Kysely<Database> | Transaction<Database>, token: string, now = new Date()): Promise<OpenInvitation | null> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .select(['i.id', 'i.org_id', 'i.episode_id', 'i.participant_id', 'i.session_number', 'i.instrument_ids', 'i.lang', 'i.used_at', 'i.revoked_at', 'i.expires_at', 'o.settings'])
    .where('i.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.revoked_at || new Date(row.expires_at) <= now) return null;
  return { id: row.id, orgId: row.org_id, episodeId: row.episode_id, participantId: row.participant_id, sessionNumber: row.session_number ?? 1, instrumentIds: row.instrument_ids, lang: row.lang, orgSettings: row.settings };
}

export type SubmitOutcome =
  | { state: 'stored'; risk: boolean; alerts: number }
  | { state: 'replayed'; risk: boolean }
  | { state: 'invalid' };

export interface ScoredAnswer {
  scorer: CompiledScorer;
  response: Record<string, unknown>;
  result: ScoreResult;
}

/**
 * Stores one submission in one transaction: responses, scores, the invitation's used state and any
 * alerts. The invitation row is locked first, so concurrent retries serialise; a retry with the same
 * submission key gets the first outcome back ("replayed") and stores nothing.
 */
export async function submitResponses(db: Kysely<Database>, token: string, submissionKey: string, answers: ScoredAnswer[], meta: { ip: string | null; now?: Date }): Promise<SubmitOutcome> {
  const now = meta.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    // One read for everything the submit needs; only the invitation row is locked.
    const locked = await trx
      .selectFrom('invitations as i')
      .innerJoin('episodes as e', 'e.id', 'i.episode_id')
      .innerJoin('participants as p', 'p.id', 'i.participant_id')
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'i.episode_id', 'i.participant_id', 'i.session_number', 'i.used_at', 'i.revoked_at', 'i.expires_at', 'i.submission_key', 'e.therapist_id', 'p.label as participant_label', 'o.settings as org_settings'])
      .where('i.token_hash', '=', tokenHash(token))
      .forUpdate('i')
      .executeTakeFirst();
    if (!locked || locked.revoked_at || new Date(locked.expires_at) <= now && !locked.used_at) return { state: 'invalid' } as const;
    if (locked.used_at) {
      if (locked.submission_key !== submissionKey) return { state: 'invalid' } as const;
      const risk = await trx.selectFrom('responses as r').innerJoin('scores as s', 's.response_id', 'r.id').select('s.risk').where('r.invitation_id', '=', locked.id).where('s.risk', '=', true).executeTakeFirst();
      return { state: 'replayed', risk: Boolean(risk) } as const;
    }
    const sessionNumber = locked.session_number ?? 1;
    const responseIds: string[] = [];
    let risk = false;
    // Ids are made here so all responses and all scores go in with one statement each.
    const base = { org_id: locked.org_id, episode_id: locked.episode_id, participant_id: locked.participant_id };
    const responseRows = answers.map((answer) => ({ ...base, id: randomUUID(), invitation_id: locked.id, instrument_id: answer.scorer.instrumentId, session_number: sessionNumber, questionnaire_response: JSON.stringify(answer.response), submitted_at: now }));
    const scoreRows = answers.flatMap((answer, i) =>
      scoreRowsFromResult(answer.result).map((r) => ({ ...r, ...base, response_id: responseRows[i].id, therapist_id: locked.therapist_id, instrument_id: answer.scorer.instrumentId, session_number: sessionNumber, measured_at: now })),
    );
    if (responseRows.length) await trx.insertInto('responses').values(responseRows).execute();
    if (scoreRows.length) await trx.insertInto('scores').values(scoreRows).execute();
    responseIds.push(...responseRows.map((r) => r.id));
    risk = answers.some((answer) => answer.result.risks.length > 0);
    await trx.updateTable('invitations').set({ used_at: now, submission_key: submissionKey }).where('id', '=', locked.id).execute();
    const alerts = await raiseAlerts(trx, { orgId: locked.org_id, episodeId: locked.episode_id, participantId: locked.participant_id, participantLabel: locked.participant_label, orgSettings: locked.org_settings, sessionNumber, responseIds, answers });
    await appendAudit(trx, { orgId: locked.org_id, actorId: null, actorRole: 'client', action: 'response.submit', subjectType: 'episode', subjectId: locked.episode_id, ip: meta.ip, outcome: 'ok', details: { invitationId: locked.id, responses: responseIds.length, risk } });
    return { state: 'stored', risk, alerts } as const;
  });
}

interface AlertContext {
  orgId: string;
  episodeId: string;
  participantId: string;
  participantLabel: string;
  orgSettings: Record<string, unknown>;
  sessionNumber: number;
  responseIds: string[];
  answers: ScoredAnswer[];
}

/** Evaluates the alert rules for a new measurement inside the submit transaction. Returns alerts created. */
export async function raiseAlerts(trx: Transaction<Database>, ctx: AlertContext): Promise<number> {
  // The participant's whole series for the submitted instruments, in one query.
  const rows = await trx
    .selectFrom('scores')
    .select(['instrument_id', 'scale_id', 'session_number as session', 'value'])
    .where('participant_id', '=', ctx.participantId)
    .where('instrument_id', 'in', ctx.answers.map((a) => a.scorer.instrumentId))
    .where('value', 'is not', null)
    .orderBy('session_number')
    .orderBy('measured_at')
    .execute();
  const series = (instrumentId: string, scaleId: string) => rows.filter((r) => r.instrument_id === instrumentId && r.scale_id === scaleId).map((p) => ({ session: p.session, value: p.value as number }));
  const outcomes: OutcomeSeries[] = [];
  let alliance: AlertInput['alliance'] = null;
  for (const answer of ctx.answers) {
    const allianceInfo = allianceScale(answer.scorer);
    if (allianceInfo) {
      alliance = { instrumentId: answer.scorer.instrumentId, lowThreshold: allianceInfo.lowThreshold, points: series(answer.scorer.instrumentId, allianceInfo.scale.id) };
      continue;
    }
    const scale = outcomeScale(answer.scorer);
    if (!scale) continue;
    const points = series(answer.scorer.instrumentId, scale.id);
    const scored = answer.result.scales.find((s) => s.id === scale.id);
    if (!scored || points.length === 0) continue;
    const intake = points[0].value;
    const curve = await cachedCurve(trx, ctx.orgId, answer.scorer.instrumentId);
    const expected = curve ? expectedAt(curve, intake, ctx.sessionNumber) : ruleBasedExpectation(intake, ctx.sessionNumber, scale.direction === 'higher-is-worse');
    outcomes.push({ instrumentId: answer.scorer.instrumentId, instrumentName: { nl: scale.name.nl ?? scale.name.en ?? scale.id, en: scale.name.en ?? scale.name.nl ?? scale.id }, scaleId: scale.id, params: scored.reliableChange, points, expected });
  }
  const risks = ctx.answers.flatMap((a) => a.result.risks.map((r) => ({ instrumentId: a.scorer.instrumentId, item: r.item, answerScore: r.answerScore, label: { nl: r.label.nl ?? r.label.en ?? r.code, en: r.label.en ?? r.label.nl ?? r.code } })));
  const rules = { ...DEFAULT_RULE_SETTINGS, ...((ctx.orgSettings.alertRules as object | undefined) ?? {}) };
  const drafts = evaluateAlerts({ participantId: ctx.participantId, participantLabel: ctx.participantLabel, sessionNumber: ctx.sessionNumber, responseIds: ctx.responseIds, risks, outcomes, alliance, rules });
  let created = 0;
  for (const draft of drafts) {
    const inserted = await trx
      .insertInto('alerts')
      .values({ org_id: ctx.orgId, episode_id: ctx.episodeId, response_id: ctx.responseIds[0] ?? null, rule: draft.rule, event_key: draft.eventKey, severity: draft.severity, reason: JSON.stringify({ ...draft.reason, suggestions: draft.suggestions }) })
      .onConflict((oc) => oc.columns(['episode_id', 'rule', 'event_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) created++;
  }
  return created;
}

// Curves change only when a refit finishes (nightly or on demand); a minute's staleness is harmless
// and saves a query on every submit.
const CURVE_TTL_MS = 60_000;
const curveCache = new Map<string, { at: number; curve: ExpectedCurve | null }>();

async function cachedCurve(db: Kysely<Database> | Transaction<Database>, orgId: string, instrumentId: string): Promise<ExpectedCurve | null> {
  const key = `${orgId}|${instrumentId}`;
  const hit = curveCache.get(key);
  if (hit && Date.now() - hit.at < CURVE_TTL_MS) return hit.curve;
  const curve = await latestCurve(db, orgId, instrumentId);
  curveCache.set(key, { at: Date.now(), curve });
  return curve;
}

/** The newest fitted expected-course curve for an instrument, if any. */
export async function latestCurve(db: Kysely<Database> | Transaction<Database>, orgId: string, instrumentId: string): Promise<ExpectedCurve | null> {
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


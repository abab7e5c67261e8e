import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { InstrumentRegistry } from '../server/instrument-registry.ts';
import { allianceScale, outcomeScale } from '../domain/feedback/instrument-roles.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../domain/feedback/expected.ts';
import { episodeStatus, STATUS_PRIORITY, type EpisodeStatus } from '../domain/feedback/status.ts';
import { nextMeasuredSession } from '../domain/feedback/schedule.ts';
import { DEFAULT_RULE_SETTINGS } from '../domain/feedback/alerts.ts';
import { reliableChangeParameters } from '../domain/instruments/reliable-change.ts';
import { appendAudit } from './audit.ts';
import { auditBase, notFound, type Actor } from './clients.ts';
import type { Database } from './schema.ts';
import { latestCurve } from './submit.ts';

export interface CaseloadRow {
  episodeId: string;
  clientCode: string;
  alias: string | null;
  modality: string;
  startedOn: Date;
  status: EpisodeStatus;
  lastSession: number | null;
  lastMeasuredAt: Date | null;
  nextSession: number | null;
  openAlerts: number;
  pendingInvitations: number;
}

interface ScorePoint {
  episode_id: string;
  participant_id: string;
  instrument_id: string;
  scale_id: string;
  session_number: number;
  value: number | null;
  risk: boolean;
  /** Epoch milliseconds: parsing thousands of timestamps into Dates was a large share of the caseload's time. */
  measured_ms: number;
}

/**
 * The therapist's active episodes with status, last and next measurement, open alerts and pending
 * invitations. Four queries in all, whatever the caseload size; statuses are derived in TypeScript
 * with the same rules as the alerts.
 */
export async function caseload(db: Kysely<Database>, actor: Actor, registry: InstrumentRegistry): Promise<CaseloadRow[]> {
  const { orgId, userId } = actor.staff;
  return db.transaction().execute(async (trx) => {
    const episodes = await trx
      .selectFrom('episodes as e')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .select(['e.id', 'e.modality', 'e.started_on', 'c.code', 'c.alias'])
      .where('e.org_id', '=', orgId)
      .where('e.therapist_id', '=', userId)
      .where('e.status', '=', 'active')
      .execute();
    if (episodes.length === 0) return [];
    const ids = episodes.map((e) => e.id);
    const [points, alerts, invitations, plans] = await Promise.all([
      trx
        .selectFrom('scores')
        .select(['episode_id', 'participant_id', 'instrument_id', 'scale_id', 'session_number', 'value', 'risk', sql<number>`(extract(epoch from measured_at) * 1000)::float8`.as('measured_ms')])
        .where('org_id', '=', orgId)
        .where('therapist_id', '=', userId)
        .where('episode_id', 'in', ids)
        .orderBy('measured_at')
        .execute() as Promise<ScorePoint[]>,
      trx.selectFrom('alerts').select(['episode_id', (eb) => eb.fn.countAll<number>().as('n')]).where('org_id', '=', orgId).where('episode_id', 'in', ids).where('acknowledged_at', 'is', null).groupBy('episode_id').execute(),
      trx.selectFrom('invitations').select(['episode_id', (eb) => eb.fn.countAll<number>().as('n')]).where('org_id', '=', orgId).where('episode_id', 'in', ids).where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', sql<Date>`now()`).groupBy('episode_id').execute(),
      trx.selectFrom('measurement_plans').select(['episode_id', 'instrument_id', 'schedule', 'every_n']).where('episode_id', 'in', ids).execute(),
    ]);
    const curves = new Map<string, ExpectedCurve | null>();
    for (const id of new Set(points.map((p) => p.instrument_id))) curves.set(id, await latestCurve(trx, orgId, id));
    const alertCount = new Map(alerts.map((a) => [a.episode_id, a.n]));
    const pending = new Map(invitations.map((i) => [i.episode_id, i.n]));
    const byEpisode = groupBy(points, (p) => p.episode_id);
    const rows = episodes.map((e): CaseloadRow => {
      const own = byEpisode.get(e.id) ?? [];
      const last = own.at(-1);
      return {
        episodeId: e.id,
        clientCode: e.code,
        alias: e.alias,
        modality: e.modality,
        startedOn: e.started_on,
        status: statusOf(own, registry, curves),
        lastSession: last?.session_number ?? null,
        lastMeasuredAt: last ? new Date(last.measured_ms) : null,
        nextSession: nextMeasuredSession(plans.filter((p) => p.episode_id === e.id), last?.session_number ?? 0),
        openAlerts: alertCount.get(e.id) ?? 0,
        pendingInvitations: pending.get(e.id) ?? 0,
      };
    });
    await appendAudit(trx, { ...auditBase(actor), action: 'caseload.read', subjectType: 'therapist', subjectId: userId, outcome: 'ok', details: { episodes: rows.length } });
    return rows.sort((a, b) => STATUS_PRIORITY.indexOf(a.status) - STATUS_PRIORITY.indexOf(b.status) || a.clientCode.localeCompare(b.clientCode));
  });
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Status from one episode's score points (any participant counts: the worst status wins). */
export function statusOf(points: readonly ScorePoint[], registry: InstrumentRegistry, curves: Map<string, ExpectedCurve | null>): EpisodeStatus {
  const latestSession = points.at(-1);
  if (!latestSession) return 'no_data';
  const latestRisk = points.some((p) => p.risk && p.session_number === latestSession.session_number && p.participant_id === latestSession.participant_id);
  const statuses: EpisodeStatus[] = [];
  for (const [, participantPoints] of groupBy(points, (p) => p.participant_id)) {
    const outcomes = [];
    let alliance = null;
    for (const [instrumentId, list] of groupBy(participantPoints, (p) => p.instrument_id)) {
      if (!registry.has(instrumentId)) continue;
      const scorer = registry.get(instrumentId);
      const allianceInfo = allianceScale(scorer);
      const scale = allianceInfo?.scale ?? outcomeScale(scorer);
      const series = list.filter((p) => p.scale_id === scale?.id && p.value !== null);
      if (!scale || series.length === 0) continue;
      const latest = series.at(-1)!;
      if (allianceInfo) {
        const earlier = series.slice(0, -1);
        alliance = { latest: latest.value!, earlierMean: earlier.length >= 2 ? earlier.reduce((s, p) => s + p.value!, 0) / earlier.length : null, lowThreshold: allianceInfo.lowThreshold, dropThreshold: DEFAULT_RULE_SETTINGS.allianceDrop };
        continue;
      }
      const params = reliableChangeParameters(scale);
      const intake = series[0].value!;
      const curve = curves.get(instrumentId) ?? null;
      const expected = curve ? expectedAt(curve, intake, latest.session_number) : ruleBasedExpectation(intake, latest.session_number, scale.direction === 'higher-is-worse');
      outcomes.push({ intake, latest: latest.value!, params, expected });
    }
    statuses.push(episodeStatus({ outcomes, alliance, latestRisk: latestRisk && participantPoints.includes(latestSession) }));
  }
  return STATUS_PRIORITY.find((s) => statuses.includes(s)) ?? 'no_data';
}

/** Everything the episode page shows besides the header: scores, alerts, latest responses. */
export async function episodeTimeline(db: Kysely<Database>, actor: Actor, episodeId: string) {
  const { orgId } = actor.staff;
  const [points, alerts, latestResponses] = await Promise.all([
    db.selectFrom('scores').select(['participant_id', 'instrument_id', 'scale_id', 'session_number', 'value', 'band', 'risk', 'measured_at']).where('org_id', '=', orgId).where('episode_id', '=', episodeId).orderBy('session_number').orderBy('measured_at').execute(),
    db.selectFrom('alerts').select(['id', 'rule', 'severity', 'reason', 'created_at', 'acknowledged_at', 'acknowledgement_note']).where('org_id', '=', orgId).where('episode_id', '=', episodeId).orderBy('created_at', 'desc').execute(),
    db
      .selectFrom('responses')
      .select(['id', 'participant_id', 'instrument_id', 'session_number', 'questionnaire_response', 'submitted_at'])
      .where('org_id', '=', orgId)
      .where('episode_id', '=', episodeId)
      .orderBy('submitted_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { points, alerts, latestResponses };
}

/** Acknowledges one of the caller's alerts with a note. Audited; NOT_FOUND for anyone else's. */
export async function acknowledgeAlert(db: Kysely<Database>, actor: Actor, alertId: string, note: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const alert = await trx
      .selectFrom('alerts as a')
      .innerJoin('episodes as e', 'e.id', 'a.episode_id')
      .select(['a.id', 'a.episode_id', 'a.acknowledged_at'])
      .where('a.id', '=', alertId)
      .where('a.org_id', '=', actor.staff.orgId)
      .where('e.therapist_id', '=', actor.staff.userId)
      .executeTakeFirst();
    if (!alert) throw notFound('Alert', alertId);
    await trx.updateTable('alerts').set({ acknowledged_at: new Date(), acknowledged_by: actor.staff.userId, acknowledgement_note: note }).where('id', '=', alertId).where('acknowledged_at', 'is', null).execute();
    await appendAudit(trx, { ...auditBase(actor), action: 'alert.acknowledge', subjectType: 'episode', subjectId: alert.episode_id, outcome: 'ok', details: { alertId } });
  });
}

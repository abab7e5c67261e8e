import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { InstrumentRegistry } from '../domain/instruments/registry.ts';
import { allianceScale, outcomeScale } from '../domain/feedback/instrument-roles.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../domain/feedback/expected.ts';
import { episodeStatus, STATUS_PRIORITY, type EpisodeStatus } from '../domain/feedback/status.ts';
import { nextMeasuredSession } from '../domain/feedback/schedule.ts';
import { DEFAULT_RULE_SETTINGS } from '../domain/feedback/alerts.ts';
import { reliableChangeParameters } from '../domain/instruments/reliable-change.ts';
import { appendAudit } from './audit.ts';
import { auditBase, notFound, type Actor } from './clients.ts';
import type { Database } from './schema.ts';
import { latestCurve } from './submit-alerts.ts';

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
 * invitations. A fixed number of queries whatever the caseload size; statuses are derived in
 * TypeScript from per-series summaries with the same rules as the alerts.
 */
export async function caseload(
  db: Kysely<Database>,
  actor: Actor,
  registry: InstrumentRegistry,
  /** audit: false only for a caller that writes its own audit row for the same read (the home page). */
  options: { audit?: boolean } = {},
): Promise<CaseloadRow[]> {
  const { orgId, userId } = actor.staff;
  // Read-only, so no transaction: the five summary queries run in parallel on the pool's connections
  // (in one transaction they would queue on a single connection).
  const trx = db;
  // The active episodes as a subquery, not a list of ids: every query below goes out at once, and none
  // carries hundreds of parameters.
  const ids = trx
    .selectFrom('episodes')
    .select('id')
    .where('org_id', '=', orgId)
    .where('therapist_id', '=', userId)
    .where('status', '=', 'active');
  // The heavy part in SQL: one summary row per participant series instead of every score.
  const [episodes, summaries, latest, alerts, invitations, plans] = await Promise.all([
    trx
      .selectFrom('episodes as e')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .select(['e.id', 'e.modality', 'e.started_on', 'c.code', 'c.alias'])
      .where('e.org_id', '=', orgId)
      .where('e.therapist_id', '=', userId)
      .where('e.status', '=', 'active')
      .execute(),
    sql<SeriesSummary & { episode_id: string }>`
        SELECT episode_id, participant_id, instrument_id, scale_id, count(*)::int AS n,
               (array_agg(value ORDER BY session_number, measured_at))[1] AS first_value,
               (array_agg(value ORDER BY session_number DESC, measured_at DESC))[1] AS last_value,
               max(session_number) AS last_session, sum(value) - (array_agg(value ORDER BY session_number DESC, measured_at DESC))[1] AS earlier_sum
        FROM scores
        WHERE org_id = ${orgId} AND therapist_id = ${userId} AND episode_id IN (${ids}) AND value IS NOT NULL
        GROUP BY episode_id, participant_id, instrument_id, scale_id`.execute(trx),
    sql<{ episode_id: string; session_number: number; measured_ms: number; risk: boolean }>`
        WITH last AS (
          SELECT DISTINCT ON (episode_id) episode_id, participant_id, session_number, measured_at
          FROM scores WHERE org_id = ${orgId} AND therapist_id = ${userId} AND episode_id IN (${ids})
          ORDER BY episode_id, measured_at DESC)
        SELECT l.episode_id, l.session_number, (extract(epoch from l.measured_at) * 1000)::float8 AS measured_ms,
               coalesce((SELECT bool_or(s.risk) FROM scores s WHERE s.participant_id = l.participant_id AND s.session_number = l.session_number), false) AS risk
        FROM last l`.execute(trx),
    trx
      .selectFrom('alerts')
      .select(['episode_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', orgId)
      .where('episode_id', 'in', ids)
      .where('acknowledged_at', 'is', null)
      .groupBy('episode_id')
      .execute(),
    trx
      .selectFrom('invitations')
      .select(['episode_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', orgId)
      .where('episode_id', 'in', ids)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .groupBy('episode_id')
      .execute(),
    trx
      .selectFrom('measurement_plans')
      .select(['episode_id', 'instrument_id', 'schedule', 'every_n'])
      .where('episode_id', 'in', ids)
      .execute(),
  ]);
  if (episodes.length === 0) return [];
  const instrumentIds = [...new Set(summaries.rows.map((p) => p.instrument_id))];
  const curves = new Map<string, ExpectedCurve | null>(
    await Promise.all(instrumentIds.map(async (id) => [id, await latestCurve(trx, orgId, id)] as const)),
  );
  const alertCount = new Map(alerts.map((a) => [a.episode_id, a.n]));
  const pending = new Map(invitations.map((i) => [i.episode_id, i.n]));
  const seriesByEpisode = groupBy(summaries.rows, (p) => p.episode_id);
  const latestByEpisode = new Map(latest.rows.map((l) => [l.episode_id, l]));
  const plansByEpisode = groupBy(plans, (p) => p.episode_id);
  const rows = episodes.map((e): CaseloadRow => {
    const last = latestByEpisode.get(e.id);
    const series = seriesByEpisode.get(e.id) ?? [];
    return {
      episodeId: e.id,
      clientCode: e.code,
      alias: e.alias,
      modality: e.modality,
      startedOn: e.started_on,
      status: series.length === 0 ? 'no_data' : statusFromSummaries(series, last?.risk ?? false, registry, curves),
      lastSession: last?.session_number ?? null,
      lastMeasuredAt: last ? new Date(last.measured_ms) : null,
      nextSession: nextMeasuredSession(plansByEpisode.get(e.id) ?? [], last?.session_number ?? 0),
      openAlerts: alertCount.get(e.id) ?? 0,
      pendingInvitations: pending.get(e.id) ?? 0,
    };
  });
  if (options.audit !== false)
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'caseload.read',
      subjectType: 'therapist',
      subjectId: userId,
      outcome: 'ok',
      details: { episodes: rows.length },
    });
  return rows.sort(
    (a, b) =>
      STATUS_PRIORITY.indexOf(a.status) - STATUS_PRIORITY.indexOf(b.status) || a.clientCode.localeCompare(b.clientCode),
  );
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

/** What the status rules need of one participant's series on one scale (values in session order). */
export interface SeriesSummary {
  participant_id: string;
  instrument_id: string;
  scale_id: string;
  n: number;
  first_value: number;
  last_value: number;
  last_session: number;
  /** Sum of all values but the last (for the alliance's earlier mean). */
  earlier_sum: number;
}

/** Summaries from an episode's ordered score points (the episode page has the points anyway). */
export function summarisePoints(points: readonly ScorePoint[]): SeriesSummary[] {
  const out: SeriesSummary[] = [];
  for (const [, list] of groupBy(
    points.filter((p) => p.value !== null),
    (p) => `${p.participant_id}|${p.instrument_id}|${p.scale_id}`,
  )) {
    const first = list[0];
    const last = list.at(-1)!;
    const total = list.reduce((sum, p) => sum + p.value!, 0);
    out.push({
      participant_id: first.participant_id,
      instrument_id: first.instrument_id,
      scale_id: first.scale_id,
      n: list.length,
      first_value: first.value!,
      last_value: last.value!,
      last_session: last.session_number,
      earlier_sum: total - last.value!,
    });
  }
  return out;
}

/** Whether the newest measurement (the latest participant's latest session) endorsed a risk item. */
export function latestRiskOf(points: readonly ScorePoint[]): boolean {
  const latest = points.at(-1);
  return Boolean(
    latest &&
    points.some(
      (p) => p.risk && p.session_number === latest.session_number && p.participant_id === latest.participant_id,
    ),
  );
}

/** Status from one episode's score points (any participant counts: the worst status wins). */
export function statusOf(
  points: readonly ScorePoint[],
  registry: InstrumentRegistry,
  curves: Map<string, ExpectedCurve | null>,
): EpisodeStatus {
  if (points.length === 0) return 'no_data';
  return statusFromSummaries(summarisePoints(points), latestRiskOf(points), registry, curves);
}

/** The same rules as the alerts, from per-series summaries (the caseload gets these from SQL). */
export function statusFromSummaries(
  summaries: readonly SeriesSummary[],
  latestRisk: boolean,
  registry: InstrumentRegistry,
  curves: Map<string, ExpectedCurve | null>,
): EpisodeStatus {
  if (latestRisk) return 'risk';
  const statuses: EpisodeStatus[] = [];
  for (const [, participant] of groupBy(summaries, (s) => s.participant_id)) {
    const outcomes = [];
    let alliance = null;
    for (const summary of participant) {
      if (!registry.has(summary.instrument_id)) continue;
      const scorer = registry.get(summary.instrument_id);
      const allianceInfo = allianceScale(scorer);
      const scale = allianceInfo?.scale ?? outcomeScale(scorer);
      if (!scale || summary.scale_id !== scale.id) continue;
      if (allianceInfo) {
        const earlierMean = summary.n >= 3 ? summary.earlier_sum / (summary.n - 1) : null;
        alliance = {
          latest: summary.last_value,
          earlierMean,
          lowThreshold: allianceInfo.lowThreshold,
          dropThreshold: DEFAULT_RULE_SETTINGS.allianceDrop,
        };
        continue;
      }
      const curve = curves.get(summary.instrument_id) ?? null;
      const intake = summary.first_value;
      const expected = curve
        ? expectedAt(curve, intake, summary.last_session)
        : ruleBasedExpectation(intake, summary.last_session, scale.direction === 'higher-is-worse');
      outcomes.push({ intake, latest: summary.last_value, params: reliableChangeParameters(scale), expected });
    }
    statuses.push(episodeStatus({ outcomes, alliance, latestRisk: false }));
  }
  return STATUS_PRIORITY.find((s) => statuses.includes(s)) ?? 'no_data';
}

/** Everything the episode page shows besides the header: scores, alerts, latest responses. */
export async function episodeTimeline(db: Kysely<Database>, actor: Actor, episodeId: string) {
  const { orgId } = actor.staff;
  const [points, alerts, latestResponses] = await Promise.all([
    db
      .selectFrom('scores')
      .select(['participant_id', 'instrument_id', 'scale_id', 'session_number', 'value', 'band', 'risk', 'measured_at'])
      .where('org_id', '=', orgId)
      .where('episode_id', '=', episodeId)
      .orderBy('session_number')
      .orderBy('measured_at')
      .execute(),
    db
      .selectFrom('alerts')
      .leftJoin('users as u', 'u.id', 'alerts.acknowledged_by')
      .select([
        'alerts.id',
        'rule',
        'severity',
        'reason',
        'alerts.created_at',
        'acknowledged_at',
        'acknowledgement_note',
        'u.display_name as acknowledged_by_name',
      ])
      .where('alerts.org_id', '=', orgId)
      .where('episode_id', '=', episodeId)
      .orderBy('alerts.created_at', 'desc')
      .execute(),
    db
      .selectFrom('responses')
      .select([
        'id',
        'participant_id',
        'instrument_id',
        'instrument_version',
        'session_number',
        'questionnaire_response',
        'submitted_at',
      ])
      .where('org_id', '=', orgId)
      .where('episode_id', '=', episodeId)
      .orderBy('submitted_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { points, alerts, latestResponses };
}

/** Acknowledges one of the caller's alerts with a note. Audited; NOT_FOUND for anyone else's. */
export async function acknowledgeAlert(
  db: Kysely<Database>,
  actor: Actor,
  alertId: string,
  note: string,
): Promise<void> {
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
    await trx
      .updateTable('alerts')
      .set({ acknowledged_at: new Date(), acknowledged_by: actor.staff.userId, acknowledgement_note: note })
      .where('id', '=', alertId)
      .where('acknowledged_at', 'is', null)
      .execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'alert.acknowledge',
      subjectType: 'episode',
      subjectId: alert.episode_id,
      outcome: 'ok',
      details: { alertId },
    });
  });
}

/** Acknowledges several of the caller's alerts with one note, in one transaction. Audited per alert. */
export async function acknowledgeAlerts(
  db: Kysely<Database>,
  actor: Actor,
  alertIds: readonly string[],
  note: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const own = await trx
      .selectFrom('alerts as a')
      .innerJoin('episodes as e', 'e.id', 'a.episode_id')
      .select(['a.id', 'a.episode_id'])
      .where('a.id', 'in', [...alertIds])
      .where('a.org_id', '=', actor.staff.orgId)
      .where('e.therapist_id', '=', actor.staff.userId)
      .execute();
    if (own.length !== new Set(alertIds).size)
      throw notFound(
        'Alert',
        alertIds.find((id) => !own.some((a) => a.id === id))!,
      );
    await trx
      .updateTable('alerts')
      .set({ acknowledged_at: new Date(), acknowledged_by: actor.staff.userId, acknowledgement_note: note })
      .where(
        'id',
        'in',
        own.map((a) => a.id),
      )
      .where('acknowledged_at', 'is', null)
      .execute();
    for (const alert of own)
      await appendAudit(trx, {
        ...auditBase(actor),
        action: 'alert.acknowledge',
        subjectType: 'episode',
        subjectId: alert.episode_id,
        outcome: 'ok',
        details: { alertId: alert.id, batch: own.length },
      });
    return own.length;
  });
}

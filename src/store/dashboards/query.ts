import type { Kysely } from 'kysely';
import {
  activityFigures,
  addSums,
  emptyActivity,
  emptyOutcome,
  outcomeFigures,
  type ActivityFigures,
  type ActivitySums,
  type OutcomeFigures,
  type OutcomeSums,
} from '../../domain/dashboards/figures.ts';
import {
  ALL,
  periodContains,
  periodKey,
  periodsFor,
  quartersOf,
  type Period,
} from '../../domain/dashboards/periods.ts';
import { Protector, type Atom, type GroupFilter, type Verdict } from '../../domain/dashboards/protection.ts';
import type { DashboardSettings } from '../../domain/dashboards/settings.ts';
import { appendAudit } from '../audit.ts';
import type { Database, Modality } from '../schema.ts';
import { listTeams } from './teams.ts';

/**
 * The manager dashboards, read from the dashboard cells. Every figure passes small-group protection
 * here, in the store, so no caller can get a figure the protection refused; no therapist id leaves
 * this module, and every call is audited.
 */

export interface DashboardFilter {
  team: string | null;
  period: Period;
  modality: Modality | null;
  instrumentId: string;
}

export type Guarded<T> =
  { shown: true; value: T } | { shown: false; reason: Extract<Verdict, { shown: false }>['reason'] };

export interface ManagerDashboard {
  refreshedAt: string | null;
  filter: DashboardFilter;
  teams: Array<{ id: string; name: string }>;
  periods: string[];
  outcome: {
    main: Guarded<OutcomeFigures>;
    trend: Array<{ quarter: string; figures: Guarded<OutcomeFigures> }>;
    modalities: Array<{ modality: string; figures: Guarded<{ ended: number; share: number | null }> }>;
  };
  activity: {
    main: Guarded<ActivityFigures>;
    trend: Array<{ quarter: string; figures: Guarded<ActivityFigures> }>;
  };
}

interface LoadedCell extends Atom {
  metrics: Record<string, unknown>;
}

async function loadCells(
  db: Kysely<Database>,
  orgId: string,
  family: 'outcome' | 'activity',
  instrumentId: string,
  therapistId?: string,
): Promise<LoadedCell[]> {
  let query = db
    .selectFrom('dashboard_cells')
    .select(['therapist_id', 'quarter', 'modality', 'episodes', 'metrics'])
    .where('org_id', '=', orgId)
    .where('family', '=', family)
    .where('instrument_id', '=', instrumentId);
  if (therapistId) query = query.where('therapist_id', '=', therapistId);
  const rows = await query.execute();
  return rows.map((r) => ({
    therapist: r.therapist_id,
    quarter: r.quarter,
    modality: r.modality,
    episodes: r.episodes,
    metrics: r.metrics as Record<string, unknown>,
  }));
}

function sumCells<T extends object>(
  cells: LoadedCell[],
  teams: ReadonlyMap<string, ReadonlySet<string>>,
  f: GroupFilter,
  empty: () => T,
): T {
  const members = f.team === null ? null : teams.get(f.team);
  const total = empty();
  for (const c of cells) {
    if (members !== null && !members?.has(c.therapist)) continue;
    if (f.modality !== null && c.modality !== f.modality) continue;
    if (!periodContains(f.period, c.quarter)) continue;
    addSums(total, c.metrics as Partial<T>);
  }
  return total;
}

function guarded<T>(protector: Protector, f: GroupFilter, compute: () => T): Guarded<T> {
  const verdict = protector.decide(f);
  return verdict.shown ? { shown: true, value: compute() } : { shown: false, reason: verdict.reason };
}

export interface DashboardActor {
  orgId: string;
  userId: string;
  roles: string[];
  ip: string;
}

export async function managerDashboard(
  db: Kysely<Database>,
  actor: DashboardActor,
  filter: DashboardFilter,
  settings: DashboardSettings,
  options: { bandOrder?: string[]; action?: string } = {},
): Promise<ManagerDashboard> {
  const [teamList, outcomeCells, activityCells, refresh] = await Promise.all([
    listTeams(db, actor.orgId),
    loadCells(db, actor.orgId, 'outcome', filter.instrumentId),
    loadCells(db, actor.orgId, 'activity', ''),
    db.selectFrom('dashboard_refreshes').select('refreshed_at').where('org_id', '=', actor.orgId).executeTakeFirst(),
  ]);
  const teams = new Map(teamList.map((t) => [t.id, new Set(t.memberIds)]));
  const outcomeGuard = new Protector(outcomeCells, teams, settings.minima);
  const activityGuard = new Protector(activityCells, teams, settings.minima);
  const group: GroupFilter = { team: filter.team, period: filter.period, modality: filter.modality };
  const outcomeOf = (f: GroupFilter) =>
    guarded(outcomeGuard, f, () =>
      outcomeFigures(sumCells<OutcomeSums>(outcomeCells, teams, f, emptyOutcome), options.bandOrder),
    );
  const activityOf = (f: GroupFilter) =>
    guarded(activityGuard, f, () =>
      activityFigures(sumCells<ActivitySums>(activityCells, teams, f, emptyActivity), settings.followUpHours),
    );
  const quarterFilter = (quarter: string): GroupFilter => ({
    ...group,
    period: { kind: 'quarter', year: Number(quarter.slice(0, 4)), quarter: Number(quarter.slice(6)) },
  });
  const allQuarters = [...outcomeCells, ...activityCells].map((c) => c.quarter);
  const modalities = [...new Set(outcomeCells.map((c) => c.modality))].sort();
  const mainOutcome = outcomeOf(group);
  const result: ManagerDashboard = {
    refreshedAt: refresh ? new Date(refresh.refreshed_at).toISOString() : null,
    filter,
    teams: teamList.map((t) => ({ id: t.id, name: t.name })),
    periods: periodsFor(allQuarters).map(periodKey),
    outcome: {
      main: mainOutcome,
      trend: quartersOf(
        filter.period,
        outcomeCells.map((c) => c.quarter),
      ).map((q) => ({
        quarter: q,
        figures: outcomeOf(quarterFilter(q)),
      })),
      modalities:
        filter.modality !== null
          ? []
          : modalities.map((m) => ({
              modality: m,
              figures: guarded(outcomeGuard, { ...group, modality: m }, () => {
                const ended = sumCells<OutcomeSums>(outcomeCells, teams, { ...group, modality: m }, emptyOutcome).ended;
                return {
                  ended,
                  share: mainOutcome.shown && mainOutcome.value.ended > 0 ? ended / mainOutcome.value.ended : null,
                };
              }),
            })),
    },
    activity: {
      main: activityOf(group),
      trend: quartersOf(
        filter.period,
        activityCells.map((c) => c.quarter),
      ).map((q) => ({
        quarter: q,
        figures: activityOf(quarterFilter(q)),
      })),
    },
  };
  await appendAudit(db, {
    orgId: actor.orgId,
    actorId: actor.userId,
    actorRole: actor.roles.join(','),
    action: options.action ?? 'dashboard.read',
    subjectType: 'dashboard',
    subjectId: filter.instrumentId,
    ip: actor.ip,
    outcome: 'ok',
    details: {
      team: filter.team,
      period: periodKey(filter.period),
      modality: filter.modality,
      instrument: filter.instrumentId,
      suppressed: countSuppressed(result),
    },
  });
  return result;
}

function countSuppressed(d: ManagerDashboard): number {
  const all = [
    d.outcome.main,
    d.activity.main,
    ...d.outcome.trend.map((t) => t.figures),
    ...d.outcome.modalities.map((m) => m.figures),
    ...d.activity.trend.map((t) => t.figures),
  ];
  return all.filter((g) => !g.shown).length;
}

/**
 * The therapist's private mirror of the same outcome figures: their own, unprotected (it is their own
 * work), next to the organisation's, which pass the same protection as the manager's.
 */
export async function ownOutcomes(
  db: Kysely<Database>,
  actor: DashboardActor,
  instrumentId: string,
  period: Period,
  settings: DashboardSettings,
  bandOrder?: string[],
): Promise<{ own: OutcomeFigures; organisation: Guarded<OutcomeFigures>; periods: string[] }> {
  const [cells, teamList] = await Promise.all([
    loadCells(db, actor.orgId, 'outcome', instrumentId),
    listTeams(db, actor.orgId),
  ]);
  const teams = new Map(teamList.map((t) => [t.id, new Set(t.memberIds)]));
  const guard = new Protector(cells, teams, settings.minima);
  const f: GroupFilter = { team: null, period, modality: null };
  const own = outcomeFigures(
    sumCells<OutcomeSums>(
      cells.filter((c) => c.therapist === actor.userId),
      teams,
      f,
      emptyOutcome,
    ),
    bandOrder,
  );
  await appendAudit(db, {
    orgId: actor.orgId,
    actorId: actor.userId,
    actorRole: actor.roles.join(','),
    action: 'dashboard.own.read',
    subjectType: 'dashboard',
    subjectId: instrumentId,
    ip: actor.ip,
    outcome: 'ok',
    details: { period: periodKey(period) },
  });
  return {
    own,
    organisation: guarded(guard, f, () =>
      outcomeFigures(sumCells<OutcomeSums>(cells, teams, f, emptyOutcome), bandOrder),
    ),
    periods: periodsFor(cells.map((c) => c.quarter)).map(periodKey),
  };
}

export { ALL };

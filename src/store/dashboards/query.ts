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
import { filterKey, Protector, type GroupFilter, type Verdict } from '../../domain/dashboards/protection.ts';
import type { DashboardSettings } from '../../domain/dashboards/settings.ts';
import { appendAudit } from '../audit.ts';
import type { Database, Modality } from '../schema.ts';
import { cellSet, dashboardVersion, memo, type DashboardVersion, type LoadedCell } from './cache.ts';

/**
 * The manager dashboards, read from the dashboard cells. Every figure passes small-group protection
 * here, in the store, so no caller can get a figure the protection refused; no therapist id leaves
 * this module, and every call is audited. What is derived from the cells (verdicts, figures) is
 * cached per data version in ./cache.ts; the audit row is written on every call.
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
  const version = await dashboardVersion(db, actor.orgId);
  const group: GroupFilter = { team: filter.team, period: filter.period, modality: filter.modality };
  const key = [
    version.key,
    'manager',
    filter.instrumentId,
    filterKey(group),
    settings.minima.therapists,
    settings.minima.episodes,
    settings.followUpHours,
    (options.bandOrder ?? []).join(','),
  ].join('|');
  const result = await memo(key, () => computeDashboard(db, actor.orgId, version, filter, settings, options.bandOrder));
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

async function computeDashboard(
  db: Kysely<Database>,
  orgId: string,
  version: DashboardVersion,
  filter: DashboardFilter,
  settings: DashboardSettings,
  bandOrder: string[] | undefined,
): Promise<ManagerDashboard> {
  const [outcome, activity] = await Promise.all([
    cellSet(db, orgId, version, 'outcome', filter.instrumentId, settings.minima),
    cellSet(db, orgId, version, 'activity', '', settings.minima),
  ]);
  const { teams, teamList } = version;
  const outcomeCells = outcome.cells;
  const activityCells = activity.cells;
  const outcomeGuard = outcome.guard;
  const activityGuard = activity.guard;
  const group: GroupFilter = { team: filter.team, period: filter.period, modality: filter.modality };
  const outcomeOf = (f: GroupFilter) =>
    guarded(outcomeGuard, f, () =>
      outcomeFigures(sumCells<OutcomeSums>(outcomeCells, teams, f, emptyOutcome), bandOrder),
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
  return {
    refreshedAt: version.refreshedAt,
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
  const version = await dashboardVersion(db, actor.orgId);
  const { cells, guard } = await cellSet(db, actor.orgId, version, 'outcome', instrumentId, settings.minima);
  const { teams } = version;
  const f: GroupFilter = { team: null, period, modality: null };
  // The therapist's own cells: a few dozen of the organisation's, summed per request.
  const own = outcomeFigures(
    sumCells<OutcomeSums>(
      cells.filter((c) => c.therapist === actor.userId),
      teams,
      f,
      emptyOutcome,
    ),
    bandOrder,
  );
  const key = [
    version.key,
    'own-organisation',
    instrumentId,
    periodKey(period),
    settings.minima.therapists,
    settings.minima.episodes,
    (bandOrder ?? []).join(','),
  ].join('|');
  const organisation = await memo(key, async () => ({
    figures: guarded(guard, f, () => outcomeFigures(sumCells<OutcomeSums>(cells, teams, f, emptyOutcome), bandOrder)),
    periods: periodsFor(cells.map((c) => c.quarter)).map(periodKey),
  }));
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
  return { own, organisation: organisation.figures, periods: organisation.periods };
}

export { ALL };

/**
 * Manager dashboard queries at organisation scale (issue 17). On the generated large organisation
 * (bench/_data.ts: ≥ 1,000,000 PHQ-9 responses, 200 therapists), with ten overlapping teams of about
 * twenty therapists and the dashboard cells refreshed once (timed: refresh_seconds), each kind of
 * dashboard query runs --requests (100) times at --concurrency (4) through the store function the
 * routes call (cells, small-group protection, figures, the audit row):
 *
 *   dashboard_<kind>_p95_ms   target ≤ 150 ms
 * Anchor: the same query run alone (sequential median), so queueing shows as the gap. Also printed:
 * first_call_after_refresh_ms, the first call of each kind after the refresh, which computes what
 * the cache then holds for that data version (src/store/dashboards/cache.ts).
 *
 *   npm run bench -- dashboards [--requests 100] [--concurrency 4]
 */
import { report } from './_report.ts';
import { ensureLargeOrg, migrateDatabase } from './_data.ts';
import { log, option, percentile } from './_load.ts';
import { openStore } from '../src/store/database.ts';
import { managerDashboard, ownOutcomes, type DashboardFilter } from '../src/store/dashboards/query.ts';
import { refreshDashboardCells } from '../src/store/dashboards/refresh.ts';
import { outcomeInstruments } from '../src/store/dashboards/instruments.ts';
import { dashboardSettings } from '../src/domain/dashboards/settings.ts';
import { parsePeriod } from '../src/domain/dashboards/periods.ts';
import { shippedInstruments } from '../src/store/instrument-registry.ts';

const BENCH = 'dashboards';
const REQUESTS = Math.min(Number(option('requests', '100')), 2_000);
const CONCURRENCY = Math.min(Number(option('concurrency', '4')), 32);

const large = await ensureLargeOrg();
await migrateDatabase(large.url);
const store = await openStore({ databaseUrl: large.url, dataDir: 'memory', poolMax: CONCURRENCY + 2 });
try {
  const { db } = store;
  const orgId = large.orgId;
  const therapists = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('email', 'like', 'therapist%')
    .orderBy('email')
    .execute();
  if (!(await db.selectFrom('teams').select('id').where('org_id', '=', orgId).executeTakeFirst())) {
    log('creating ten overlapping teams…');
    for (let k = 0; k < 10; k++) {
      const { id } = await db
        .insertInto('teams')
        .values({ org_id: orgId, name: `Team ${k + 1}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Twenty therapists each, plus the first of the next team (overlap).
      const members = therapists.slice(k * 20, k * 20 + 21).map((t) => t.id);
      await db
        .insertInto('team_members')
        .values(members.map((user_id) => ({ team_id: id, org_id: orgId, user_id })))
        .execute();
    }
  }
  const refresh = await refreshDashboardCells(
    db,
    orgId,
    await outcomeInstruments(db, orgId, shippedInstruments().all()),
  );
  log(`refreshed ${refresh.cells} cells in ${refresh.seconds.toFixed(1)} s`);
  report({
    bench: BENCH,
    metric: 'refresh_seconds',
    value: Math.round(refresh.seconds * 10) / 10,
    unit: 's',
    cells: refresh.cells,
  });

  const team = (
    await db.selectFrom('teams').select('id').where('org_id', '=', orgId).orderBy('name').executeTakeFirstOrThrow()
  ).id;
  const settings = dashboardSettings({});
  const actor = { orgId, userId: therapists[0].id, roles: ['manager'], ip: '127.0.0.1' };
  const f = (team: string | null, period: string, modality: DashboardFilter['modality'] = null): DashboardFilter => ({
    team,
    period: parsePeriod(period)!,
    modality,
    instrumentId: 'phq9',
  });
  const kinds: Array<[string, () => Promise<unknown>]> = [
    ['organisation_all', () => managerDashboard(db, actor, f(null, 'all'), settings)],
    ['team_year', () => managerDashboard(db, actor, f(team, '2023'), settings)],
    ['team_quarter_modality', () => managerDashboard(db, actor, f(team, '2023-Q2', 'individual'), settings)],
    ['therapist_own', () => ownOutcomes(db, actor, 'phq9', parsePeriod('all')!, settings)],
  ];
  for (const [kind, run] of kinds) {
    // The first call after the refresh computes and caches this version's verdicts and figures.
    const c0 = performance.now();
    await run();
    const cold = performance.now() - c0;
    for (let i = 0; i < 4; i++) await run(); // warm-up
    const alone: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await run();
      alone.push(performance.now() - t0);
    }
    const times: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) {
          const t0 = performance.now();
          await run();
          times.push(performance.now() - t0);
        }
      }),
    );
    report({
      bench: BENCH,
      metric: `dashboard_${kind}_p95_ms`,
      value: Math.round(percentile(times, 95) * 10) / 10,
      unit: 'ms',
      target: '<= 150',
      anchor: 'the same query alone (sequential median)',
      anchor_value: Math.round(percentile(alone, 50) * 10) / 10,
      first_call_after_refresh_ms: Math.round(cold * 10) / 10,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
    });
  }
} finally {
  await store.close();
}

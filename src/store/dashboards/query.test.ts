import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, freshStore } from '../testing.ts';
import { ALL, managerDashboard, ownOutcomes, type DashboardFilter } from './query.ts';
import { createTeam, updateTeam } from './teams.ts';
import { dashboardSettings } from '../../domain/dashboards/settings.ts';
import { emptyOutcome } from '../../domain/dashboards/figures.ts';

// The dashboards cache what they derive from the cells per data version (./cache.ts). These tests
// prove the version moves with everything protection depends on: a refresh and a team change.

describeEachDialect('dashboard cache', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let orgId: string;
  let therapists: string[];
  const settings = dashboardSettings({});
  const filter = (team: string | null): DashboardFilter => ({
    team,
    period: ALL,
    modality: null,
    instrumentId: 'phq9',
  });
  const actor = () => ({ orgId, userId: therapists[0], roles: ['manager'], ip: '127.0.0.1' });

  async function refresh(episodesPerTherapist: number, count = therapists.length) {
    const db = store.db;
    await db.deleteFrom('dashboard_cells').where('org_id', '=', orgId).execute();
    await db
      .insertInto('dashboard_cells')
      .values(
        therapists.slice(0, count).map((therapist_id) => ({
          org_id: orgId,
          family: 'outcome' as const,
          instrument_id: 'phq9',
          quarter: '2025-Q1',
          modality: 'individual' as const,
          therapist_id,
          episodes: episodesPerTherapist,
          metrics: JSON.stringify({ ...emptyOutcome(), ended: episodesPerTherapist }),
        })),
      )
      .execute();
    await db.deleteFrom('dashboard_refreshes').where('org_id', '=', orgId).execute();
    await db
      .insertInto('dashboard_refreshes')
      .values({ org_id: orgId, refreshed_at: new Date(), seconds: 0 })
      .execute();
  }

  beforeAll(async () => {
    store = await freshStore(dialect);
    const org = await store.db
      .insertInto('organisations')
      .values({ slug: 'cache', name: 'Cache' })
      .returning('id')
      .executeTakeFirstOrThrow();
    orgId = org.id;
    const users = await store.db
      .insertInto('users')
      .values(
        Array.from({ length: 7 }, (_, i) => ({
          org_id: orgId,
          email: `t${i}@cache.test`,
          display_name: `T${i}`,
          roles: ['therapist'],
          gender: null,
        })),
      )
      .returning('id')
      .execute();
    therapists = users.map((u) => u.id);
  });
  afterAll(async () => {
    await store?.drop();
  });

  it('a refresh is seen at once', async () => {
    await refresh(3, 7);
    const first = await managerDashboard(store.db, actor(), filter(null), settings);
    expect(first.outcome.main).toMatchObject({ shown: true, value: { ended: 21 } });
    await refresh(4, 7);
    const second = await managerDashboard(store.db, actor(), filter(null), settings);
    expect(second.outcome.main).toMatchObject({ shown: true, value: { ended: 28 } });
    const own = await ownOutcomes(store.db, actor(), 'phq9', ALL, settings);
    expect(own.own.ended).toBe(4);
    expect(own.organisation).toMatchObject({ shown: true, value: { ended: 28 } });
    await refresh(4, 4);
    const small = await managerDashboard(store.db, actor(), filter(null), settings);
    expect(small.outcome.main).toEqual({ shown: false, reason: 'too_few_therapists' });
  });

  it('a team change is seen at once, and protection still holds', async () => {
    await refresh(3, 7);
    const team = await createTeam(store.db, orgId, 'Noord');
    const empty = await managerDashboard(store.db, actor(), filter(team), settings);
    expect(empty.teams.map((t) => t.name)).toEqual(['Noord']);
    expect(empty.outcome.main.shown).toBe(false);
    await updateTeam(store.db, orgId, team, { name: 'Noord', memberIds: therapists.slice(0, 6) });
    // Six of seven: the organisation minus the team would describe one therapist.
    const six = await managerDashboard(store.db, actor(), filter(team), settings);
    expect(six.outcome.main).toEqual({ shown: false, reason: 'differencing' });
    await updateTeam(store.db, orgId, team, { name: 'Noord', memberIds: therapists.slice(0, 7) });
    const all = await managerDashboard(store.db, actor(), filter(team), settings);
    expect(all.outcome.main).toMatchObject({ shown: true, value: { ended: 21 } });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore } from '../testing.ts';
import { loadDemoIfEmpty } from './load.ts';
import { shippedInstruments } from '../instrument-registry.ts';
import { listTeams } from '../dashboards/teams.ts';
import { ALL, managerDashboard } from '../dashboards/query.ts';
import { dashboardSettings } from '../../domain/dashboards/settings.ts';

describeEachDialect('demo organisation', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let logins: string | null;
  beforeAll(async () => {
    store = await freshStore(dialect);
    logins = await loadDemoIfEmpty(store.db, shippedInstruments());
  }, 300_000);
  afterAll(() => store.drop());

  it('has the staff and volume the other features rely on', async () => {
    const therapists = await sql<{ n: number }>`SELECT count(*) AS n FROM users WHERE 'therapist' = ANY(roles)`.execute(
      store.db,
    );
    expect(therapists.rows[0].n).toBeGreaterThanOrEqual(20);
    for (const role of ['supervisor', 'manager', 'admin', 'researcher']) {
      const r = await sql<{ n: number }>`SELECT count(*) AS n FROM users WHERE ${role} = ANY(roles)`.execute(store.db);
      expect(r.rows[0].n, role).toBeGreaterThanOrEqual(1);
    }
    const episodes = await sql<{
      n: number;
      span: number;
    }>`SELECT count(*) AS n, (max(started_on) - min(started_on)) AS span FROM episodes`.execute(store.db);
    expect(episodes.rows[0].n).toBeGreaterThanOrEqual(600);
    expect(episodes.rows[0].span).toBeGreaterThan(600);
    const scores = await sql<{ n: number }>`SELECT count(*) AS n FROM scores WHERE value IS NOT NULL`.execute(store.db);
    expect(scores.rows[0].n).toBeGreaterThan(10_000);
    expect(logins).toContain('therapeut@demo.spiegel.test');
  });

  it('scores every PHQ-9 response through the instrument engine', async () => {
    const row = await sql<{ responses: number; scored: number }>`
      SELECT (SELECT count(*) FROM responses WHERE instrument_id = 'phq9') AS responses,
             (SELECT count(*) FROM scores WHERE instrument_id = 'phq9' AND scale_id = 'total' AND value IS NOT NULL) AS scored`.execute(
      store.db,
    );
    expect(row.rows[0].scored).toBe(row.rows[0].responses);
  });

  it('loads only into an empty database', async () => {
    expect(await loadDemoIfEmpty(store.db, shippedInstruments())).toBeNull();
  });

  it('fits an expected course from the completed episodes and raises alerts of every rule', async () => {
    const run = await sql<{
      status: string;
      result: { beta: number[]; dataWindow: { episodes: number } };
    }>`SELECT status, result FROM analysis_runs WHERE kind = 'expected_course'`.execute(store.db);
    expect(run.rows[0].status).toBe('done');
    expect(run.rows[0].result.dataWindow.episodes).toBeGreaterThan(300);
    expect(run.rows[0].result.beta[1]).toBeLessThan(0); // scores fall with log(session + 1)
    const rules = await sql<{ rule: string }>`SELECT DISTINCT rule FROM alerts ORDER BY rule`.execute(store.db);
    expect(rules.rows.map((r) => r.rule)).toEqual([
      'alliance_drop',
      'alliance_low',
      'no_reliable_improvement',
      'not_on_track',
      'recovered',
      'reliable_deterioration',
      'risk',
    ]);
  });
});

describeEachDialect('demo organisation next to real data', (dialect) => {
  it('refuses to load into a database that holds a non-demo organisation, and adds no user', async () => {
    const store = await freshStore(dialect);
    try {
      await store.db
        .insertInto('organisations')
        .values({ slug: 'praktijk', name: 'Praktijk', settings: '{}' })
        .execute();
      await expect(loadDemoIfEmpty(store.db, shippedInstruments())).rejects.toMatchObject({ code: 'DEMO_REFUSED' });
      const users = await store.db
        .selectFrom('users')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(users.n).toBe(0);
    } finally {
      await store.drop();
    }
  });
});

describeEachDialect('demo organisation: teams and manager dashboards', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
    await loadDemoIfEmpty(store.db, shippedInstruments());
  }, 300_000);
  afterAll(() => store.drop());

  it('has at least three teams, one therapist in two of them, and dashboard cells for both families', async () => {
    const teams = await listTeams(store.db, await demoOrgId(store.db));
    expect(teams.length).toBeGreaterThanOrEqual(3);
    const counts = new Map<string, number>();
    for (const t of teams) for (const m of t.memberIds) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    const families = await sql<{ family: string }>`SELECT DISTINCT family FROM dashboard_cells ORDER BY 1`.execute(
      store.db,
    );
    expect(families.rows.map((r) => r.family)).toEqual(['activity', 'outcome']);
  });

  it('shows the organisation’s figures, suppresses the small team with its reason, names no therapist, and audits', async () => {
    const orgId = await demoOrgId(store.db);
    const manager = await store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'manager@demo.spiegel.test')
      .executeTakeFirstOrThrow();
    const actor = { orgId, userId: manager.id, roles: ['manager'], ip: '127.0.0.1' };
    const settings = dashboardSettings({});
    const all = await managerDashboard(
      store.db,
      actor,
      { team: null, period: ALL, modality: null, instrumentId: 'phq9' },
      settings,
    );
    expect(all.outcome.main.shown).toBe(true);
    if (all.outcome.main.shown) {
      const f = all.outcome.main.value;
      const classes = Object.values(f.classes).reduce((s, c) => s + c.count, 0);
      expect(classes).toBe(f.paired);
      expect(f.effect!.dz).toBeGreaterThan(0); // the demo's clients improve on average
      expect(f.effect!.ci[0]).toBeLessThan(f.effect!.dz);
    }
    expect(all.activity.main.shown).toBe(true);
    if (all.activity.main.shown) {
      expect(all.activity.main.value.completedShare).toBeGreaterThan(0.5);
      expect(all.activity.main.value.completedShare).toBeLessThan(1);
      expect(all.activity.main.value.measuredShare).toBeLessThan(1);
      expect(all.activity.main.value.handledShare).toBeGreaterThan(0);
    }
    const small = all.teams.find((t) => t.name.includes('Leiden'))!;
    const leiden = await managerDashboard(
      store.db,
      actor,
      { team: small.id, period: ALL, modality: null, instrumentId: 'phq9' },
      settings,
    );
    expect(leiden.outcome.main).toEqual({ shown: false, reason: 'too_few_therapists' });
    // No therapist id appears anywhere in what a manager gets.
    const therapistIds = await store.db.selectFrom('users').select('id').where('org_id', '=', orgId).execute();
    const text = JSON.stringify([all, leiden]);
    for (const { id } of therapistIds.filter((u) => u.id !== manager.id)) expect(text).not.toContain(id);
    const audited = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'dashboard.read' AND actor_id = ${manager.id}`.execute(
      store.db,
    );
    expect(audited.rows[0].n).toBe(2);
  });
});

async function demoOrgId(db: Awaited<ReturnType<typeof freshStore>>['db']): Promise<string> {
  return (await db.selectFrom('organisations').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow()).id;
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { readOrgSettings } from '../../store/users.ts';
import { buildWorld, nextIp, type World } from '../testing-world.ts';
import { testApp } from '../testing.ts';

describeEachDialect('organisation settings and teams (admin)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  const post = (url: string, body: Record<string, unknown>) =>
    world.request(world.callers.admin, 'POST', url, { body, form: true, remoteAddress: nextIp() });

  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
  });
  afterAll(() => t.close());

  it('saves crisis contacts per language, refuses a bad link and changes nothing, audits before and after', async () => {
    const ok = await post('/app/admin/organisation/crisis', {
      nl0: 'Bel de praktijk',
      en0: 'Call the practice',
      href0: 'tel:0201234567',
    });
    expect(ok.statusCode).toBe(200);
    expect((await readOrgSettings(t.store.db, world.orgA)).crisisContacts).toEqual([
      { nl: 'Bel de praktijk', en: 'Call the practice', href: 'tel:0201234567' },
    ]);
    const bad = await post('/app/admin/organisation/crisis', { nl0: 'x', en0: 'y', href0: 'javascript:alert(1)' });
    expect(bad.statusCode).toBe(400);
    expect((await readOrgSettings(t.store.db, world.orgA)).crisisContacts).toHaveLength(1);
    const row = await t.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'org.settings.crisis.update')
      .executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ key: 'crisisContacts', from: null, to: [{ href: 'tel:0201234567' }] });
  });

  it('keeps alert thresholds within bounds and the minimum group sizes at or above the defaults', async () => {
    expect(
      (await post('/app/admin/organisation/alerts', { noImprovementBySession: '8', allianceDrop: '2' })).statusCode,
    ).toBe(200);
    expect(
      (await post('/app/admin/organisation/alerts', { noImprovementBySession: '1', allianceDrop: '2' })).statusCode,
    ).toBe(400);
    expect((await readOrgSettings(t.store.db, world.orgA)).alertRules).toEqual({
      noImprovementBySession: 8,
      allianceDrop: 2,
    });
    expect(
      (await post('/app/admin/organisation/dashboards', { minTherapists: '4', minEpisodes: '10', followUpHours: '72' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post('/app/admin/organisation/dashboards', { minTherapists: '7', minEpisodes: '20', followUpHours: '24' }))
        .statusCode,
    ).toBe(200);
    expect((await readOrgSettings(t.store.db, world.orgA)).dashboards).toEqual({
      minTherapists: 7,
      minEpisodes: 20,
      followUpHours: 24,
    });
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'org.settings.alerts.update')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      from: { noImprovementBySession: 6, allianceDrop: 1.5 },
      to: { noImprovementBySession: 8 },
    });
  });

  it('creates a team, sets its therapists, refuses a duplicate name (409) and non-therapists', async () => {
    const created = await world.request(world.callers.admin, 'POST', '/app/admin/teams', {
      body: { name: 'Team Noord' },
      remoteAddress: nextIp(),
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().result.id as string;
    const dup = await world.request(world.callers.admin, 'POST', '/app/admin/teams', {
      body: { name: 'Team Noord' },
      remoteAddress: nextIp(),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('TEAM_NAME_TAKEN');
    const set = await world.request(world.callers.admin, 'POST', `/app/admin/teams/${id}`, {
      body: { name: 'Team Noord', members: [world.callers.therapist.id] },
      remoteAddress: nextIp(),
    });
    expect(set.json().result.memberIds).toEqual([world.callers.therapist.id]);
    const foreign = await world.request(world.callers.admin, 'POST', `/app/admin/teams/${id}`, {
      body: { name: 'Team Noord', members: [world.therapistB.id] },
      remoteAddress: nextIp(),
    });
    expect(foreign.statusCode).toBe(400);
    const page = await world.request(world.callers.manager, 'GET', '/app/admin/teams', { accept: 'text/html' });
    expect(page.statusCode).toBe(403);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

// Privacy of the reflection area: for every reflection route, a manager, another therapist, a
// supervisor nothing was shared with, and a supervisor of another organisation get 403 or 404 for the
// owner's items, and never see the owner's text. The supervisor an item was shared with is the
// positive control.

const SECRET = 'Geheime-reflectie-7f3a';
const PREFIXES = [
  '/app/self-check',
  '/app/journal',
  '/app/practice',
  '/app/reflection',
  '/app/shared',
  '/api/reflection',
];

describeEachDialect('reflection privacy', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const agents: Record<string, Agent> = {};
  const ids = { check: '', entry: '', goal: '', share: '', supervisor: '' };

  const form = async (agent: Agent, url: string, fields: Record<string, string>) => {
    const token = await agent.csrf('/app');
    return agent.request('POST', url, { form: { ...fields, _csrf: token } });
  };

  beforeAll(async () => {
    t = await testApp(dialect);
    const a = await createOrg(t.app, 'priv-a');
    const b = await createOrg(t.app, 'priv-b');
    await createUser(t.app, a, 'owner@a.test', ['therapist']);
    await createUser(t.app, a, 'colleague@a.test', ['therapist']);
    ids.supervisor = await createUser(t.app, a, 'sup@a.test', ['supervisor']);
    await createUser(t.app, a, 'sup2@a.test', ['supervisor']);
    await createUser(t.app, a, 'manager@a.test', ['manager']);
    await createUser(t.app, b, 'sup@b.test', ['supervisor', 'therapist']);
    for (const [name, email] of Object.entries({
      owner: 'owner@a.test',
      colleague: 'colleague@a.test',
      supervisor: 'sup@a.test',
      unshared: 'sup2@a.test',
      manager: 'manager@a.test',
      foreign: 'sup@b.test',
    })) {
      agents[name] = new Agent(t.app);
      expect((await agents[name].login(email)).statusCode).toBe(303);
    }
    const owner = agents.owner;
    const started = await form(owner, '/app/self-check', {});
    ids.check = String(started.headers.location).split('/').pop()!;
    await form(owner, `/app/self-check/${ids.check}/selfview`, { 'selfview.doubt': SECRET });
    await form(owner, `/app/self-check/${ids.check}/complete`, {});
    ids.entry = String(
      (await form(owner, '/app/journal', { template: 'free', title: SECRET, field_text: SECRET, tags: 'geheim' }))
        .headers.location,
    )
      .split('/')
      .pop()!;
    ids.goal = String((await form(owner, '/app/practice/goals', { skill: 'humour', title: SECRET })).headers.location)
      .split('/')
      .pop()!;
    await form(owner, '/app/practice/logs', { goalId: ids.goal, minutes: '20', practised: SECRET });
    for (const [itemType, itemId] of [
      ['self_check', ids.check],
      ['journal_entry', ids.entry],
      ['practice_goal', ids.goal],
    ]) {
      expect(
        (await form(owner, '/app/reflection/shares', { itemType, itemId, supervisorId: ids.supervisor })).statusCode,
      ).toBe(303);
    }
    const list = await agents.supervisor.request('GET', '/app/shared');
    ids.share = /href="\/app\/shared\/([0-9a-f-]+)"/.exec(list.body)![1];
  });
  afterAll(() => t.close());

  function concrete(url: string): string {
    const id =
      url.startsWith('/app/self-check') || url.startsWith('/api/reflection/self-checks')
        ? ids.check
        : url.startsWith('/app/journal')
          ? ids.entry
          : url.startsWith('/app/practice')
            ? ids.goal
            : ids.share;
    return url.replace(':id', id).replace(':module', 'selfview');
  }

  const body = () => ({
    itemType: 'journal_entry',
    itemId: ids.entry,
    supervisorId: ids.supervisor,
    goalId: ids.goal,
    minutes: '5',
    practised: 'x',
    interval: '6',
    text: 'x',
    title: 'x',
    template: 'free',
    skill: 'humour',
  });

  it('declares access on every reflection route', () => {
    const routes = t.app.declaredRoutes.filter((r) => PREFIXES.some((p) => r.url.startsWith(p)));
    expect(routes.length).toBeGreaterThan(25);
    for (const r of routes) expect(['own', 'shared']).toContain(r.access?.kind);
  });

  it('shows the shared items to the supervisor they were shared with', async () => {
    const view = await agents.supervisor.request('GET', `/app/shared/${ids.share}`);
    expect(view.statusCode).toBe(200);
    expect((await agents.supervisor.request('GET', '/app/shared')).body).toContain(SECRET);
  });

  for (const caller of ['manager', 'colleague', 'unshared', 'foreign', 'supervisor'] as const) {
    it(`refuses the owner's items to the ${caller} on every reflection route`, async () => {
      const agent = agents[caller];
      const token = await agent.csrf('/app');
      const routes = t.app.declaredRoutes.filter((r) => PREFIXES.some((p) => r.url.startsWith(p)));
      for (const route of routes) {
        const url = concrete(route.url);
        const isSharedRoute = route.access?.kind === 'shared';
        const res = await agent.request(
          route.method as 'GET' | 'POST',
          url,
          route.method === 'POST' ? { form: { ...body(), _csrf: token } } : {},
        );
        const label = `${caller} ${route.method} ${url}`;
        expect(res.statusCode, label).toBeLessThan(500);
        if (caller === 'supervisor' && isSharedRoute) continue; // the positive control, checked above
        expect(res.body, label).not.toContain(SECRET);
        if (
          route.url.includes(':id') ||
          (route.method === 'POST' && ['/app/reflection/shares', '/app/practice/logs'].includes(route.url))
        ) {
          expect([403, 404], label).toContain(res.statusCode);
          expect(res.body, label).not.toContain('CSRF_INVALID'); // a page or JSON, either names the code
        }
      }
    });
  }

  it('stops showing an item once the owner revokes the share', async () => {
    const owner = agents.owner;
    const entryPage = await owner.request('GET', `/app/journal/${ids.entry}`);
    const shareId = /action="\/app\/reflection\/shares\/([0-9a-f-]+)\/revoke"/.exec(entryPage.body)![1];
    expect(
      (await form(owner, `/app/reflection/shares/${shareId}/revoke`, { returnTo: `/app/journal/${ids.entry}` }))
        .statusCode,
    ).toBe(303);
    expect((await agents.supervisor.request('GET', `/app/shared/${shareId}`)).statusCode).toBe(404);
    expect((await form(agents.supervisor, `/app/shared/${shareId}/comments`, { text: 'x' })).statusCode).toBe(404);
    const revoked = await t.app.ctx.store.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'reflection.share.revoke')
      .where('subject_id', '=', shareId)
      .execute();
    expect(revoked).toEqual([{ outcome: 'ok' }]);
  });
});

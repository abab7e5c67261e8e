import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from './testing.ts';

// Ten identical requests at once to each create route: the database's unique constraints stop all but
// one, and each of the others gets a 409 with a stable code (or the route's own answer), never a 5xx.

describeEachDialect('concurrent identical creates', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let therapist: Agent;
  let admin: Agent;
  let csrf: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'race');
    await createUser(t.app, org, 'thera@race.test', ['therapist']);
    await createUser(t.app, org, 'admin@race.test', ['admin']);
    therapist = new Agent(t.app, '10.9.0.1');
    admin = new Agent(t.app, '10.9.0.2');
    await therapist.login('thera@race.test');
    await admin.login('admin@race.test');
    csrf = await therapist.csrf('/app');
  }, 120_000);
  afterAll(() => t.close());

  const tenJson = (agent: Agent, token: string, url: string, json: unknown) =>
    Promise.all(
      Array.from({ length: 10 }, () =>
        t.app.inject({
          method: 'POST',
          url,
          cookies: agent.cookies,
          headers: { 'content-type': 'application/json', 'x-csrf-token': token, accept: 'application/json' },
          payload: JSON.stringify(json),
        }),
      ),
    );
  const tenForm = (agent: Agent, token: string, url: string, form: Record<string, string>) =>
    Promise.all(
      Array.from({ length: 10 }, () =>
        t.app.inject({
          method: 'POST',
          url,
          cookies: agent.cookies,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: new URLSearchParams({ ...form, _csrf: token }).toString(),
        }),
      ),
    );
  const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);

  it('clients, episodes and sessions: one created, the rest 409, no 5xx', async () => {
    const clients = await tenJson(therapist, csrf, '/api/clients', { code: 'RACE-1' });
    expect(statuses(clients).filter((s) => s >= 500)).toEqual([]);
    expect(statuses(clients).filter((s) => s === 201)).toHaveLength(1);
    for (const r of clients.filter((r) => r.statusCode === 409)) expect(r.json().error.code).toBe('CLIENT_CODE_IN_USE');
    const clientId = clients.find((r) => r.statusCode === 201)!.json().id;
    const episode = await therapist.request('POST', '/api/episodes', {
      json: { clientId, modality: 'individual', startedOn: '2026-01-05', withoutPlan: true },
      headers: { 'x-csrf-token': csrf },
    });
    expect(episode.statusCode).toBe(201);
    const sessions = await tenJson(therapist, csrf, `/api/episodes/${episode.json().id}/sessions`, {
      heldOn: '2026-01-12',
    });
    expect(statuses(sessions).filter((s) => s >= 500)).toEqual([]);
  });

  it('self-check drafts: no 5xx, one draft', async () => {
    const token = await therapist.csrf('/app/self-check');
    const drafts = await tenForm(therapist, token, '/app/self-check', {});
    expect(statuses(drafts).filter((s) => s >= 500)).toEqual([]);
    const rows = await t.store.db.selectFrom('self_checks').select('id').where('status', '=', 'draft').execute();
    expect(rows).toHaveLength(1);
  });

  it('users: one invited, the rest 409 or the form again, no 5xx', async () => {
    const token = await admin.csrf('/app/admin/users');
    const users = await tenForm(admin, token, '/app/admin/users', {
      email: 'new@race.test',
      displayName: 'New',
      roles: 'therapist',
    });
    expect(statuses(users).filter((s) => s >= 500)).toEqual([]);
    const rows = await t.store.db.selectFrom('users').select('id').where('email', '=', 'new@race.test').execute();
    expect(rows).toHaveLength(1);
  });
});

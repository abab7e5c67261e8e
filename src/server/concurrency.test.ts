import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/testing.ts';
import { BRANCHING_SURVEY } from '../domain/research/fixtures.ts';
import { Agent, createOrg, createUser, testApp } from './testing.ts';

// Ten identical requests at once to each create route: the database's unique constraints stop all but
// one, and each of the others gets a 409 with a stable code (or the route's own answer), never a 5xx.

describeEachDialect('concurrent identical creates', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let therapist: Agent;
  let admin: Agent;
  let csrf: string;
  let supervisorId: string;
  let researcher: Agent;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'race');
    await createUser(t.app, org, 'thera@race.test', ['therapist']);
    await createUser(t.app, org, 'admin@race.test', ['admin']);
    supervisorId = await createUser(t.app, org, 'sup@race.test', ['supervisor']);
    await createUser(t.app, org, 'res@race.test', ['researcher']);
    researcher = new Agent(t.app, '10.9.0.3');
    await researcher.login('res@race.test');
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

  // Every other create route: ten identical form posts at once. Whether duplicates are allowed (journal
  // entries) or refused (codes, names), no answer is a 5xx.
  const noServerErrors = async (agent: Agent, page: string, url: string, form: Record<string, string>) => {
    const responses = await tenForm(agent, await agent.csrf(page), url, form);
    expect(
      statuses(responses).filter((s) => s >= 500),
      `${url}: ${responses[0].body.slice(0, 200)}`,
    ).toEqual([]);
    expect(statuses(responses).filter((s) => s < 400).length, url).toBeGreaterThan(0);
    return responses;
  };
  const idFrom = (responses: { statusCode: number; headers: Record<string, unknown> }[]) =>
    String(responses.find((r) => r.statusCode === 303)!.headers.location)
      .split('/')
      .pop()!;

  it('client, episode, session and invitation forms: no 5xx; one client per code', async () => {
    await noServerErrors(therapist, '/app/clients', '/app/clients', { code: 'RACE-F', alias: '' });
    const clients = await t.store.db.selectFrom('clients').select('id').where('code', '=', 'RACE-F').execute();
    expect(clients).toHaveLength(1);
    const clientId = clients[0].id;
    await noServerErrors(therapist, `/app/clients/${clientId}/episodes/new`, `/app/clients/${clientId}/episodes`, {
      modality: 'individual',
      startedOn: '2026-11-02',
      p0_label: 'Cliënt',
      plan_phq9: 'every_session',
    });
    const episode = await t.store.db
      .selectFrom('episodes')
      .select('id')
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    const participant = await t.store.db
      .selectFrom('participants')
      .select('id')
      .where('episode_id', '=', episode.id)
      .executeTakeFirstOrThrow();
    const page = `/app/episodes/${episode.id}`;
    await noServerErrors(therapist, page, `/app/episodes/${episode.id}/sessions`, { action: 'none' });
    await noServerErrors(therapist, page, `/app/episodes/${episode.id}/invitations`, { participantId: participant.id });
    const api = await tenJson(therapist, csrf, `/api/episodes/${episode.id}/invitations`, {
      participantId: participant.id,
    });
    expect(statuses(api).filter((s) => s >= 500)).toEqual([]);
  });

  it('teams: one per name, no 5xx', async () => {
    const responses = await tenForm(admin, await admin.csrf('/app/admin/teams'), '/app/admin/teams', {
      name: 'Team Race',
    });
    expect(statuses(responses).filter((s) => s >= 500)).toEqual([]);
    const rows = await t.store.db.selectFrom('teams').select('id').where('name', '=', 'Team Race').execute();
    expect(rows).toHaveLength(1);
  });

  it('journal entries, practice goals and logs, shares: no 5xx', async () => {
    const entries = await noServerErrors(therapist, '/app/journal/new', '/app/journal', {
      template: 'free',
      title: 'Race',
      field_text: 'Race text',
    });
    const goals = await noServerErrors(therapist, '/app/practice', '/app/practice/goals', {
      skill: 'humour',
      title: 'Race goal',
    });
    const goalId = idFrom(goals);
    await noServerErrors(therapist, '/app/practice', '/app/practice/logs', {
      goalId,
      minutes: '20',
      practised: 'x',
    });
    await noServerErrors(therapist, '/app/journal', '/app/reflection/shares', {
      itemType: 'journal_entry',
      itemId: idFrom(entries),
      supervisorId,
    });
    const shares = await t.store.db.selectFrom('reflection_shares').select('id').execute();
    expect(shares).toHaveLength(1);
  });

  it('research studies and their links: no 5xx', async () => {
    const studies = await noServerErrors(researcher, '/app/research/studies', '/app/research/studies', {
      title: 'Race study',
      ethics: 'METC 2026-001',
      legal: 'public-interest',
      retention: '2036-12-31',
      letter: 'Information.',
      consent: 'I agree.',
      survey: BRANCHING_SURVEY,
    });
    const studyId = idFrom(studies);
    const open = await researcher.request('POST', `/app/research/studies/${studyId}/status`, {
      form: { status: 'open', _csrf: await researcher.csrf(`/app/research/studies/${studyId}`) },
    });
    expect(open.statusCode).toBe(303);
    await noServerErrors(researcher, `/app/research/studies/${studyId}`, `/app/research/studies/${studyId}/links`, {
      channel: 'newsletter',
    });
  });
});

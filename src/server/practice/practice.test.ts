import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { schedulingPass } from '../../store/sends.ts';
import { captureMail, type SentMail } from '../auth/mail-testing.ts';
import { runNextJob } from '../jobs.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

describeEachDialect('daily practice in the browser', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let anna: Agent;
  let mail: SentMail[];
  let clientId: string;
  let episodeId: string;
  const db = () => t.store.db;
  const runJobs = async () => {
    while (await runNextJob(db()));
  };
  const form = async (url: string, fields: Record<string, string>, page = '/app/clients') =>
    anna.request('POST', url, { form: { ...fields, _csrf: await anna.csrf(page) } });

  beforeAll(async () => {
    t = await testApp(dialect);
    mail = captureMail(t.app);
    const org = await createOrg(t.app, 'praktijk');
    await createUser(t.app, org, 'anna@praktijk.test', ['therapist']);
    anna = new Agent(t.app);
    await anna.login('anna@praktijk.test');
  });
  afterAll(() => t.close());

  it('creates a client from a form, refuses a duplicate code in Dutch, and finds the client by alias', async () => {
    const created = await form('/app/clients', { code: 'GZ-001', alias: 'Familie V.' });
    expect(created.statusCode).toBe(303);
    clientId = /\/app\/clients\/([0-9a-f-]+)\/episodes\/new/.exec(created.headers.location as string)![1];
    const again = await form('/app/clients', { code: 'GZ-001', alias: '' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Deze code is al in gebruik');
    const found = await anna.request('GET', '/app/clients?q=familie');
    expect(found.body).toContain('GZ-001');
    expect((await anna.request('GET', '/app/clients?q=nobody')).body).not.toContain('GZ-001');
  });

  it('refuses an episode without a plan unless the therapist says so, and keeps participants in entry order', async () => {
    const fields = {
      modality: 'family',
      startedOn: '2026-11-02',
      p0_label: 'Zoon',
      p0_role: 'kind',
      p0_email: 'zoon@example.org',
      p1_label: 'Moeder',
      p1_email: 'moeder@example.org',
      p2_label: 'Vader',
      p2_email: 'vader@example.org',
    };
    const page = `/app/clients/${clientId}/episodes/new`;
    const noPlan = await form(`/app/clients/${clientId}/episodes`, fields, page);
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.body).toContain('zonder meetplan');
    const ok = await form(`/app/clients/${clientId}/episodes`, { ...fields, plan_phq9: 'every_session' }, page);
    expect(ok.statusCode).toBe(303);
    episodeId = /\/app\/episodes\/([0-9a-f-]+)/.exec(ok.headers.location as string)![1];
    const episode = await anna.request('GET', `/app/episodes/${episodeId}`);
    const list = /data-testid="participants">([\s\S]*?)<\/ol>/.exec(episode.body)![1];
    const order = ['Zoon', 'Moeder', 'Vader'].map((label) => list.indexOf(label));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
  });

  it('files an invitation without a session number under the NEXT session (11 after 10), not the last', async () => {
    for (let n = 1; n <= 10; n++)
      await db()
        .insertInto('therapy_sessions')
        .values({ org_id: (await orgId()) as string, episode_id: episodeId, number: n, held_on: '2026-11-02' })
        .execute();
    const participant = await firstParticipant();
    const res = await form(
      `/app/episodes/${episodeId}/invitations`,
      { participantId: participant, sessionNumber: '', how: 'link' },
      `/app/episodes/${episodeId}`,
    );
    expect(res.statusCode).toBe(303);
    const invitation = await db()
      .selectFrom('invitations')
      .select('session_number')
      .where('episode_id', '=', episodeId)
      .executeTakeFirstOrThrow();
    expect(invitation.session_number).toBe(11);
  });

  it('creates an invitation with POST-redirect-GET: reloading the link page shows the same link and creates none', async () => {
    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('invitations')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('episode_id', '=', episodeId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const res = await form(
      `/app/episodes/${episodeId}/invitations`,
      { participantId: await firstParticipant(), how: 'link' },
      `/app/episodes/${episodeId}`,
    );
    expect(res.statusCode).toBe(303);
    const linkPage = res.headers.location as string;
    for (const c of res.cookies) anna.cookies[c.name] = c.value;
    const first = await anna.request('GET', linkPage);
    const second = await anna.request('GET', linkPage);
    const link = (body: string) => /value="(http[^"]+\/m\/[A-Za-z0-9_-]+)"/.exec(body)?.[1];
    expect(link(first.body)).toBeDefined();
    expect(link(second.body)).toBe(link(first.body));
    expect(first.body).toContain('<svg role="img"');
    expect(await count()).toBe(before + 1);
  });

  it('sends invitations by e-mail to every participant, naming no questionnaire, diagnosis or score', async () => {
    const res = await form(
      `/app/episodes/${episodeId}/invitations`,
      { participantId: 'all', how: 'email' },
      `/app/episodes/${episodeId}`,
    );
    expect(res.headers.location).toContain('queued=3');
    await runJobs();
    expect(mail.map((m) => m.to).sort()).toEqual(['moeder@example.org', 'vader@example.org', 'zoon@example.org']);
    for (const m of mail) {
      expect(m.text).toMatch(/\/m\/[A-Za-z0-9_-]{20,}/);
      expect(m.text).not.toMatch(/PHQ|depress|score|GZ-001|Zoon|Moeder|Vader/i);
    }
  });

  it('reminds once when an invitation stays unanswered, with a fresh link that replaces the old one', async () => {
    const before = mail.length;
    await db()
      .updateTable('invitation_sends')
      .set({ sent_at: new Date(Date.now() - 25 * 3600_000) })
      .where('episode_id', '=', episodeId)
      .execute();
    const pass = await schedulingPass(db());
    expect(pass.sends).toHaveLength(3);
    expect((await schedulingPass(db())).sends).toHaveLength(0); // once, however often the pass runs
    const { enqueueJobs } = await import('../jobs.ts');
    await enqueueJobs(
      db(),
      pass.sends.map((s) => ({ kind: 'invitation_send', orgId: s.org_id, payload: { sendId: s.id } })),
    );
    await runJobs();
    const reminders = mail.slice(before);
    expect(reminders).toHaveLength(3);
    expect(reminders[0].subject).toMatch(/Herinnering/);
    const revoked = await db()
      .selectFrom('invitation_sends as x')
      .innerJoin('invitations as i', 'i.id', 'x.invitation_id')
      .select('i.revoked_at')
      .where('x.episode_id', '=', episodeId)
      .where('x.kind', '=', 'manual')
      .execute();
    expect(revoked.every((r) => r.revoked_at !== null)).toBe(true);
  });

  it('sends scheduled invitations before a planned session, once per participant', async () => {
    const before = mail.length;
    // The reminders' links for session 11 are still open; a scheduled send skips a participant who
    // already has one. Answered or withdrawn, they no longer count.
    await db().updateTable('invitations').set({ revoked_at: new Date() }).where('episode_id', '=', episodeId).execute();
    const local = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
    const planned = await form(
      `/app/episodes/${episodeId}/sessions`,
      { action: 'plan', plannedAt: local },
      `/app/episodes/${episodeId}`,
    );
    expect(planned.statusCode).toBe(303);
    const pass = await schedulingPass(db());
    expect(pass.sends).toHaveLength(3);
    const { enqueueJobs } = await import('../jobs.ts');
    await enqueueJobs(
      db(),
      pass.sends.map((s) => ({ kind: 'invitation_send', orgId: s.org_id, payload: { sendId: s.id } })),
    );
    await runJobs();
    expect(mail.length - before).toBe(3);
    expect(mail.at(-1)!.text).toContain('voor je gesprek van');
  });

  it('e-mails the therapist about a risk alert once, saying only that there is a signal', async () => {
    const before = mail.length;
    await db()
      .insertInto('alerts')
      .values({
        org_id: (await orgId()) as string,
        episode_id: episodeId,
        rule: 'risk',
        event_key: 'test-risk',
        severity: 'urgent',
        reason: JSON.stringify({ nl: 'Risico-item', en: 'Risk item', participantId: await firstParticipant() }),
      })
      .execute();
    const { enqueueJobs } = await import('../jobs.ts');
    const pass = await schedulingPass(db());
    expect(pass.risks).toHaveLength(1);
    await enqueueJobs(db(), [
      ...pass.risks.map((r) => ({ kind: 'risk_notice', orgId: r.org_id, payload: { alertId: r.id } })),
      ...pass.risks.map((r) => ({ kind: 'risk_notice', orgId: r.org_id, payload: { alertId: r.id } })),
    ]);
    await runJobs();
    const notices = mail.slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0].to).toBe('anna@praktijk.test');
    expect(notices[0].text).not.toMatch(/GZ-001|Zoon|PHQ|item 9/i);
    const home = await anna.request('GET', '/app');
    expect(home.body).toMatch(/data-testid="risk-participant">Zoon</);
  });

  it('closes an episode after saying what will happen: open links are revoked', async () => {
    const confirm = await anna.request('GET', `/app/episodes/${episodeId}/close`);
    expect(confirm.body).toMatch(/openstaande uitnodigingen worden ingetrokken/);
    const closed = await form(
      `/app/episodes/${episodeId}/status`,
      { status: 'completed' },
      `/app/episodes/${episodeId}`,
    );
    expect(closed.statusCode).toBe(303);
    const open = await db()
      .selectFrom('invitations')
      .select('id')
      .where('episode_id', '=', episodeId)
      .where('revoked_at', 'is', null)
      .where('used_at', 'is', null)
      .execute();
    expect(open).toHaveLength(0);
  });

  async function orgId() {
    return (
      await db().selectFrom('organisations').select('id').where('slug', '=', 'praktijk').executeTakeFirstOrThrow()
    ).id;
  }
  async function firstParticipant() {
    return (
      await db()
        .selectFrom('participants')
        .select('id')
        .where('episode_id', '=', episodeId)
        .orderBy('position')
        .executeTakeFirstOrThrow()
    ).id;
  }
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

const SECRET = 'Dankbaarheid van mevrouw Pietersen raakte me';

describeEachDialect('reflection pages', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let therapist: Agent;
  let supervisorId: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'refl');
    const tId = await createUser(t.app, org, 'anna@refl.test', ['therapist']);
    await t.app.ctx.store.db.updateTable('users').set({ gender: 'female' }).where('id', '=', tId).execute();
    supervisorId = await createUser(t.app, org, 'sup@refl.test', ['supervisor']);
    therapist = new Agent(t.app);
    await therapist.login('anna@refl.test');
  });
  afterAll(() => t.close());

  const post = async (
    agent: Agent,
    url: string,
    form: Record<string, string | string[]>,
    csrfFrom = '/app/self-check',
  ) => {
    const token = await agent.csrf(csrfFrom);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, _csrf: token }))
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    return t.app.inject({
      method: 'POST',
      url,
      cookies: agent.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: params.toString(),
    });
  };

  it('runs a self-check from start to report and PDF, with norms and their sources', async () => {
    const overview = await therapist.request('GET', '/app/self-check');
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('data-testid="selfcheck-reminder"');
    const started = await post(therapist, '/app/self-check', {});
    expect(started.statusCode).toBe(303);
    const checkUrl = started.headers.location as string;
    const emotions = await therapist.request('GET', `${checkUrl}/emotions`);
    expect(emotions.statusCode).toBe(200);
    expect(emotions.body).toContain('Hoe zou u uw algemene neiging om te huilen inschatten');
    expect(emotions.body).toContain('geen gevalideerd instrument');

    const bad = await post(therapist, `${checkUrl}/emotions`, { 'crying-proneness': '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');

    const attitudes: Record<string, string> = {};
    for (let i = 1; i <= 9; i++) attitudes[`attitude-${i}`] = i <= 4 ? '6' : '2';
    expect(
      (
        await post(therapist, `${checkUrl}/emotions`, {
          'crying-proneness': '7',
          'ever-cried': 'yes',
          'occasion-1': 'yes',
          ...attitudes,
        })
      ).headers.location,
    ).toBe(`${checkUrl}/motivation`);
    await post(therapist, `${checkUrl}/motivation`, {
      'motivation.1B.then': '5',
      'motivation.1B.now': '4',
      'motivation.spark': 'Een cliënt die weer lachte',
    });
    const brs: Record<string, string> = {};
    for (let i = 1; i <= 6; i++) brs[`brs-${i}`] = i % 2 ? 'agree-4' : 'agree-2';
    await post(therapist, `${checkUrl}/resilience`, {
      ...brs,
      'life.events': ['bereavement'],
      'maintenance.supervision': '4',
    });
    await post(therapist, `${checkUrl}/selfview`, { 'selfview.percentile': '80', 'selfview.doubt': SECRET });
    expect(
      (await post(therapist, `${checkUrl}/intentions`, { 'intention.1': 'Elke week oefenen' })).headers.location,
    ).toBe(`${checkUrl}?saved=1`);
    expect((await post(therapist, `${checkUrl}/complete`, {})).statusCode).toBe(303);

    const report = await therapist.request('GET', checkUrl);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('data-testid="norm-cryingProneness"');
    expect(report.body).toContain('vrouwelijke therapeuten (N=615)');
    expect(report.body).toContain('Zelfrapportage');
    expect(report.body).toContain('Vingerhoets');
    expect(report.body).toContain('zie de vergelijking met de normen hierboven');
    expect(report.body).toContain('Elke week oefenen');
    expect(report.body).toContain('Walfish');
    expect(report.body).toContain('nog niet beschikbaar');
    expect(report.body).toContain('4,00'); // BRS mean (4+4+4+4+4+4)/6, Dutch decimal comma
    expect(report.body).toContain('81,2% ja'); // table 2 reference
    const en = await therapist.request('GET', `${checkUrl}?lang=en`);
    expect(en.body).toContain('female therapists (N=615)');
    expect(en.body).toContain('not available yet');

    const pdf = await therapist.request('GET', `${checkUrl}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const api = await therapist.request('GET', `/api/reflection/self-checks/${checkUrl.split('/').pop()}/report`);
    expect(api.json().emotions.comparisons[0].score).toBe(7);
  });

  it('writes, finds, shares and comments on a journal entry', async () => {
    const form = await therapist.request('GET', '/app/journal/new?template=appreciation&mode=group&lang=nl');
    expect(form.body).toContain('Rivaliteit benoemen');
    expect(form.body).toContain('Normaliseer gevoelens van jaloezie');
    const created = await post(therapist, '/app/journal', {
      template: 'appreciation',
      mode: 'group',
      title: 'Compliment in de groep',
      field_situation: SECRET,
      field_goal1: 'Gevraagd wat het betekende',
      tags: 'waardering, groep',
    });
    expect(created.statusCode).toBe(303);
    const entryUrl = created.headers.location as string;
    expect((await post(therapist, '/app/journal', { template: 'free', title: '' })).statusCode).toBe(400);
    expect((await therapist.request('GET', '/app/journal?q=pietersen')).body).toContain('Compliment in de groep');
    expect((await therapist.request('GET', '/app/journal?q=onbekend')).body).not.toContain('Compliment in de groep');
    expect((await therapist.request('GET', '/api/reflection/journal?tag=groep')).json().entries).toHaveLength(1);

    const shared = await post(therapist, '/app/reflection/shares', {
      itemType: 'journal_entry',
      itemId: entryUrl.split('/').pop()!,
      supervisorId,
      returnTo: entryUrl,
    });
    expect(shared.headers.location).toBe(entryUrl);
    const supervisor = new Agent(t.app);
    await supervisor.login('sup@refl.test');
    const list = await supervisor.request('GET', '/app/shared');
    expect(list.body).toContain('Compliment in de groep');
    const shareUrl = /href="(\/app\/shared\/[0-9a-f-]+)"/.exec(list.body)![1];
    const view = await supervisor.request('GET', shareUrl);
    expect(view.body).toContain(SECRET);
    expect(
      (
        await post(
          supervisor,
          `${shareUrl}/comments`,
          { text: 'Wat deed de jaloezie in de groep met jou?' },
          '/app/shared',
        )
      ).statusCode,
    ).toBe(303);
    const mine = await therapist.request('GET', entryUrl);
    expect(mine.body).toContain('Wat deed de jaloezie in de groep met jou?');
    expect((await supervisor.request('GET', entryUrl)).statusCode).toBe(403); // not a therapist: the owner routes are closed
  });

  it('logs practice and draws the chart with a data table', async () => {
    const goal = await post(therapist, '/app/practice/goals', {
      skill: 'allianceRepair',
      title: 'Breuken eerder benoemen',
      description: 'Rollenspel in intervisie',
    });
    expect(goal.statusCode).toBe(303);
    const goalId = (goal.headers.location as string).split('/').pop()!;
    expect(
      (
        await post(therapist, '/app/practice/logs', {
          goalId,
          minutes: '45',
          practised: 'Metacommunicatie geoefend',
          feedback: 'Collega: directer',
        })
      ).statusCode,
    ).toBe(303);
    const page = await therapist.request('GET', '/app/practice');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('<table>');
    expect(page.body).toContain('Metacommunicatie geoefend');
    expect(
      (await therapist.request('GET', '/api/reflection/practice/weekly'))
        .json()
        .weeks.some((w: { minutes: number }) => w.minutes === 45),
    ).toBe(true);
  });

  it('audits reads and writes and never stores the plaintext', async () => {
    const db = t.app.ctx.store.db;
    const actions = new Set(
      (await db.selectFrom('audit_log').select('action').where('action', 'like', 'reflection.%').execute()).map(
        (r) => r.action,
      ),
    );
    for (const a of [
      'reflection.self_check.write',
      'reflection.self_check.complete',
      'reflection.self_check.export_pdf',
      'reflection.journal.create',
      'reflection.journal.search',
      'reflection.share.create',
      'reflection.shared.read',
      'reflection.comment.create',
      'reflection.practice.log.create',
    ])
      expect(actions).toContain(a);
    for (const table of ['journal_entries', 'self_checks', 'reflection_comments'] as const) {
      const rows = await db.selectFrom(table).select('ciphertext').execute();
      expect(JSON.stringify(rows)).not.toContain('Pietersen');
    }
  });
});

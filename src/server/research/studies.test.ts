import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';
import { BRANCHING_SURVEY } from '../../domain/research/fixtures.ts';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { Mailer, type Mail } from '../auth/mailer.ts';

const UA = 'Mozilla/5.0 (X11; Linux) SpiegelTestBrowser/99';
const IP = '203.0.113.77';

describeEachDialect('research studies and anonymous surveys', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let researcher: Agent;
  let studyId = '';
  let link = '';
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'uni');
    await createUser(t.app, org, 'r@uni.test', ['researcher']);
    researcher = new Agent(t.app);
    await researcher.login('r@uni.test');
  });
  afterAll(() => t.close());

  async function form(url: string, fields: Record<string, string>) {
    const csrf = await researcher.csrf('/app/research/studies');
    return researcher.request('POST', url, { form: { ...fields, _csrf: csrf } });
  }

  it('refuses a broken survey with its line numbers and creates nothing', async () => {
    const res = await form('/app/research/studies', {
      title: 'Kapot',
      ethics: 'ETH-1',
      legal: 'consent',
      retention: '2030-01-01',
      letter: 'Brief',
      consent: 'Ik stem in',
      survey: 'slider x | X',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('line 1: unknown item type');
    expect(await t.store.db.selectFrom('research_studies').select('id').execute()).toEqual([]);
  });

  it('creates a study with consent and a branching survey, opens it and makes a public link', async () => {
    const res = await form('/app/research/studies', {
      title: 'Huilen in therapie',
      ethics: 'ETH-2026-19',
      legal: 'public-interest',
      retention: '2036-12-31',
      letter: 'Informatie over het onderzoek.',
      consent: 'Ik doe vrijwillig mee.',
      survey: BRANCHING_SURVEY,
    });
    expect(res.statusCode).toBe(303);
    studyId = String(res.headers.location).split('/').pop()!;
    expect((await form(`/app/research/studies/${studyId}/status`, { status: 'open' })).statusCode).toBe(303);
    expect((await form(`/app/research/studies/${studyId}/links`, { channel: 'nieuwsbrief' })).statusCode).toBe(303);
    const page = await researcher.request('GET', `/app/research/studies/${studyId}`);
    expect(page.body).toContain('data:image/svg+xml;base64,');
    link = /\/s\/([A-Za-z0-9_-]+)"/.exec(page.body)![1];
  });

  it('takes an anonymous response: no IP address or user agent stored, submit date only, withdrawal works', async () => {
    const respondent = new Agent(t.app, IP);
    const headers = { 'user-agent': UA };
    const consent = await respondent.request('GET', `/s/${link}`, { headers });
    expect(consent.body).toContain('Informatie over het onderzoek.');
    const start = await respondent.request('POST', `/s/${link}/start`, {
      form: { consent: 'yes', decision: 'start' },
      headers,
    });
    const state = /name="state" value="([^"]+)"/.exec(start.body)![1];
    const answers = {
      state,
      'a.gender': '2',
      'a.age': '45',
      'a.cried': '1',
      'a.lump': '12',
      'a.why': 'zou niet gevraagd mogen worden',
      'a.att1': '5',
      'a.att2': '3',
      'a.att3': '6',
      'a.check': '2',
    };
    const incomplete = await respondent.request('POST', `/s/${link}`, {
      form: { ...answers, 'a.gender': '' },
      headers,
    });
    expect(incomplete.statusCode).toBe(422);
    const done = await respondent.request('POST', `/s/${link}`, { form: answers, headers });
    expect(done.statusCode).toBe(200);
    const code = /data-testid="withdrawal-code">([^<]+)</.exec(done.body)![1];

    // Nowhere in the database: every table, every column, as text.
    const tables = [
      'research_responses',
      'research_links',
      'research_funnel',
      'research_studies',
      'audit_log',
    ] as const;
    for (const table of tables) {
      const rows = await t.store.db.selectFrom(table).selectAll().execute();
      const text = JSON.stringify(rows);
      expect(text).not.toContain(IP);
      expect(text).not.toContain('SpiegelTestBrowser');
    }
    const [row] = await t.store.db.selectFrom('research_responses').selectAll().execute();
    const stored = JSON.stringify(row.response);
    expect(stored).not.toContain('zou niet gevraagd'); // the branch skipped "why": the answer is dropped
    expect(stored).not.toContain('authored');
    expect(Object.keys(row).sort()).toEqual([
      'channel',
      'consent_text_sha256',
      'consent_version',
      'duration_ms',
      'id',
      'org_id',
      'response',
      'study_id',
      'submitted_on',
      'survey_version',
      'withdrawal_hash',
    ]);

    const sav = await researcher.request('GET', `/app/research/studies/${studyId}/export.sav`);
    expect(sav.statusCode).toBe(200);
    expect(sav.rawPayload.subarray(0, 4).toString()).toBe('$FL2');

    const gone = await respondent.request('POST', '/s/withdraw', { form: { code } });
    expect(gone.statusCode).toBe(200);
    expect(await t.store.db.selectFrom('research_responses').select('id').execute()).toEqual([]);
    expect((await respondent.request('POST', '/s/withdraw', { form: { code } })).statusCode).toBe(404);
  });

  it('single-use tokens work once', async () => {
    const res = await form(`/app/research/studies/${studyId}/tokens`, { channel: 'e-mail', count: '2' });
    const token = /\/s\/([A-Za-z0-9_-]{20,})/.exec(res.body)![1];
    const r = new Agent(t.app);
    const start = await r.request('POST', `/s/${token}/start`, { form: { consent: 'yes' } });
    const state = /name="state" value="([^"]+)"/.exec(start.body)![1];
    const fields = { state, 'a.gender': '1', 'a.cried': '0' };
    expect((await r.request('POST', `/s/${token}`, { form: fields })).statusCode).toBe(200);
    expect((await r.request('POST', `/s/${token}`, { form: fields })).statusCode).toBe(404);
    const links = await t.store.db.selectFrom('research_links').selectAll().where('kind', '=', 'token').execute();
    expect(links.filter((l) => l.used)).toHaveLength(1);
  });

  it('gives the codebook as PDF and an analysis as .xlsx and .docx tables', async () => {
    const pdf = await researcher.request('GET', `/app/research/studies/${studyId}/codebook.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await researcher.request('GET', `/app/research/studies/${studyId}/table.xlsx?test=freq&y=gender`);
    expect(xlsx.statusCode).toBe(200);
    const sheet = strFromU8(unzipSync(new Uint8Array(xlsx.rawPayload))['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain('<t xml:space="preserve">Man</t>');
    expect(sheet).toMatch(/<c r="C4"><v>1<\/v><\/c><c r="D4"><v>100<\/v><\/c>/); // n and % stay numbers
    const docx = await researcher.request('GET', `/app/research/studies/${studyId}/table.docx?test=freq&y=gender`);
    const { value } = await mammoth.extractRawText({ buffer: docx.rawPayload });
    expect(value).toContain('Man');
    expect(value).toContain('100,00');
    const bad = await researcher.request(
      'GET',
      `/app/research/studies/${studyId}/table.xlsx?test=welch&y=gender&group=nope`,
    );
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
  });

  it('invites the organisation’s therapists by mail with single-use links that name nobody', async () => {
    const org = await t.store.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    await createUser(t.app, org.id, 'th1@uni.test', ['therapist']);
    await createUser(t.app, org.id, 'th2@uni.test', ['therapist']);
    const original = t.app.mailer;
    const sent: Mail[] = [];
    t.app.mailer = Object.assign(new Mailer(null, 'x@y'), {
      send: async (m: Mail) => void sent.push(m),
    });
    Object.defineProperty(t.app.mailer, 'configured', { value: true });
    try {
      const res = await form(`/app/research/studies/${studyId}/invite`, {});
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('2 van 2 uitnodigingen verstuurd');
    } finally {
      t.app.mailer = original;
    }
    expect(sent.map((m) => m.to).sort()).toEqual(['th1@uni.test', 'th2@uni.test']);
    const token = /\/s\/([A-Za-z0-9_-]{20,})/.exec(sent[0].text)![1];
    expect((await new Agent(t.app).request('GET', `/s/${token}`)).statusCode).toBe(200);
    for (const table of ['research_links', 'research_funnel', 'research_responses', 'audit_log'] as const)
      expect(JSON.stringify(await t.store.db.selectFrom(table).selectAll().execute())).not.toContain('th1@uni.test');
    // Without a mail server nothing is made.
    t.app.mailer = new Mailer(null, 'x@y');
    try {
      const before = (await t.store.db.selectFrom('research_links').select('token_hash').execute()).length;
      expect((await form(`/app/research/studies/${studyId}/invite`, {})).statusCode).toBe(422);
      expect((await t.store.db.selectFrom('research_links').select('token_hash').execute()).length).toBe(before);
    } finally {
      t.app.mailer = original;
    }
  });

  it('is for the researcher who owns the study', async () => {
    const org = await t.store.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    await createUser(t.app, org.id, 'other@uni.test', ['researcher']);
    const other = new Agent(t.app);
    await other.login('other@uni.test');
    expect((await other.request('GET', `/app/research/studies/${studyId}/export.sav`)).statusCode).toBe(404);
  });

  it('exports the survey as a REDCap data dictionary and imports one into the new-study form', async () => {
    const csv = await researcher.request('GET', `/app/research/studies/${studyId}/redcap.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Variable / Field Name');
    const filled = await form('/app/research/studies/redcap', { dictionary: csv.body });
    expect(filled.statusCode).toBe(200);
    expect(filled.body).toContain('choice gender qi required | Wat is je geslacht? | 1=Man; 2=Vrouw');
    const refused = await form('/app/research/studies/redcap', { dictionary: 'a,b\n1,2' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('not a REDCap data dictionary');
  });

  it('randomises respondents to arms in balanced blocks; a posted arm is ignored', async () => {
    const res = await form('/app/research/studies', {
      title: 'Vignetten',
      ethics: 'ETH-2026-21',
      legal: 'consent',
      retention: '2036-12-31',
      letter: 'Brief.',
      consent: 'Ik doe mee.',
      survey:
        'choice arm assign block=4 | Conditie | 1=Controle; 2=Vignet\nopen v if arm=2 | Wat vond je van het vignet?\nlikert5 q | Vraag',
    });
    const id = String(res.headers.location).split('/').pop()!;
    await form(`/app/research/studies/${id}/status`, { status: 'open' });
    await form(`/app/research/studies/${id}/links`, { channel: 'x' });
    const token = /\/s\/([A-Za-z0-9_-]+)"/.exec(
      (await researcher.request('GET', `/app/research/studies/${id}`)).body,
    )![1];
    for (let i = 0; i < 8; i++) {
      const r = new Agent(t.app);
      const start = await r.request('POST', `/s/${token}/start`, { form: { consent: 'yes', decision: 'start' } });
      expect(start.body).toMatch(/<input type="hidden" name="a.arm" value="[12]"/);
      const state = /name="state" value="([^"]+)"/.exec(start.body)![1];
      const posted = await r.request('POST', `/s/${token}`, {
        form: { state, 'a.arm': '1', 'a.v': 'mooi', 'a.q': '3' },
      });
      expect(posted.statusCode).toBe(200);
    }
    const rows = await t.store.db
      .selectFrom('research_responses')
      .select('response')
      .where('study_id', '=', id)
      .execute();
    const arms = rows.map((r) => {
      const items = (r.response as { item: { linkId: string; answer: { valueCoding?: { code: string } }[] }[] }).item;
      return items.find((i) => i.linkId === 'arm')!.answer[0].valueCoding!.code;
    });
    expect(arms.filter((a) => a === '1')).toHaveLength(4);
    expect(arms.filter((a) => a === '2')).toHaveLength(4);
    // The vignette question was kept only for arm 2 (branching on the assigned arm, enforced by the server).
    const withV = rows.filter((r) => JSON.stringify(r.response).includes('mooi')).length;
    expect(withV).toBe(4);
  });

  it('screens for eligibility before consent, counts who was screened out and stores no screen answers', async () => {
    const study = {
      title: 'Alleen therapeuten',
      ethics: 'ETH-2026-20',
      legal: 'consent',
      retention: '2036-12-31',
      letter: 'Brief voor therapeuten.',
      consent: 'Ik doe mee.',
      survey: BRANCHING_SURVEY,
    };
    const bad = await form('/app/research/studies', { ...study, eligibility: 'Werk je als therapeut?' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('line 1');
    const res = await form('/app/research/studies', {
      ...study,
      eligibility: 'Werk je als therapeut? = ja\nBen je in opleiding? = nee',
    });
    const id = String(res.headers.location).split('/').pop()!;
    await form(`/app/research/studies/${id}/status`, { status: 'open' });
    await form(`/app/research/studies/${id}/links`, { channel: 'lijst' });
    const token = /\/s\/([A-Za-z0-9_-]+)"/.exec(
      (await researcher.request('GET', `/app/research/studies/${id}`)).body,
    )![1];

    const r = new Agent(t.app);
    const first = await r.request('GET', `/s/${token}`);
    expect(first.body).toContain('Werk je als therapeut?');
    expect(first.body).not.toContain('Brief voor therapeuten.');
    const out = await r.request('POST', `/s/${token}/screen`, { form: { 'e.0': 'yes', 'e.1': 'yes' } });
    expect(out.body).toContain('andere groep');
    expect((await r.request('POST', `/s/${token}/screen`, { form: { 'e.0': 'yes' } })).statusCode).toBe(422);
    // Around the screen: /start without a pass shows the screen again.
    const around = await r.request('POST', `/s/${token}/start`, { form: { consent: 'yes', decision: 'start' } });
    expect(around.body).toContain('Werk je als therapeut?');
    expect(around.body).not.toContain('name="state"');
    const ok = await r.request('POST', `/s/${token}/screen`, { form: { 'e.0': 'yes', 'e.1': 'no' } });
    expect(ok.body).toContain('Brief voor therapeuten.');
    const pass = /name="pass" value="([^"]+)"/.exec(ok.body)![1];
    const start = await r.request('POST', `/s/${token}/start`, { form: { consent: 'yes', decision: 'start', pass } });
    expect(start.body).toContain('name="state"');

    const counts = await t.store.db.selectFrom('research_funnel').selectAll().where('study_id', '=', id).execute();
    const count = (stage: string) => counts.find((c) => c.stage === stage)?.count ?? 0;
    expect([count('opened'), count('screened-out'), count('eligible'), count('consented')]).toEqual([1, 1, 1, 1]);
    const page = await researcher.request('GET', `/app/research/studies/${id}`);
    expect(page.body).toContain('buiten doelgroep');
  });
});

describeEachDialect('the request log of anonymous survey requests', (dialect) => {
  it('holds no IP address, no user agent and no link token', async () => {
    const { buildApp } = await import('../app.ts');
    const { requestLogOptions } = await import('../request-log.ts');
    const { freshStore } = await import('../../store/testing.ts');
    const { loadConfig } = await import('../../config.ts');
    const { shippedInstruments } = await import('../../store/instrument-registry.ts');
    const lines: string[] = [];
    const store = await freshStore(dialect);
    const app = await buildApp(
      {
        store,
        config: { ...loadConfig({ LOG_LEVEL: 'info', SPIEGEL_DEMO: 'true' }), dataDir: 'memory' },
        instruments: shippedInstruments(),
      },
      { logger: requestLogOptions('info', { write: (line: string) => lines.push(line) }) },
    );
    await app.ready();
    const token = 'AbCdEfGhIjKlMnOpQrStUv';
    const agent = new Agent(app, IP);
    await agent.request('GET', `/s/${token}`, { headers: { 'user-agent': UA } });
    await agent.request('POST', `/s/${token}/start`, { form: { consent: 'yes' }, headers: { 'user-agent': UA } });
    await agent.request('POST', '/s/withdraw', { form: { code: 'nope' }, headers: { 'user-agent': UA } });
    await app.close();
    await store.drop();
    const log = lines.join('');
    expect(log).toContain('/s/[token]');
    expect(log).toContain('/s/withdraw');
    expect(log).not.toContain(IP);
    expect(log).not.toContain('SpiegelTestBrowser');
    expect(log).not.toContain(token);
    expect(log).not.toContain('127.0.0.1');
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

// Interview coding over HTTP: each refusal has its own code and changes nothing; blinding holds for
// coders; a member-check link works once; transcripts are sealed; the participant's answer stores no IP.

describeEachDialect('interview coding routes', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let lead: Agent;
  let coder: Agent;
  let coderId = '';
  let project = '';
  const TEXT = 'Ik koos dit vak door mijn moeder, die in Utrecht werkte.\n';

  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'qual');
    await createUser(t.app, org, 'lead@qual.test', ['researcher']);
    coderId = await createUser(t.app, org, 'coder@qual.test', ['therapist']);
    lead = new Agent(t.app);
    await lead.login('lead@qual.test');
    coder = new Agent(t.app);
    await coder.login('coder@qual.test');
  });
  afterAll(() => t.close());

  async function post(agent: Agent, url: string, fields: Record<string, string | string[]>) {
    const csrf = await agent.csrf('/app/qual');
    return agent.request('POST', url, { form: { ...fields, _csrf: csrf } });
  }
  const segmentCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('qual_segments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates a project, a sealed transcript, a codebook and a coder', async () => {
    const res = await post(lead, '/app/qual', { name: 'Waarom dit vak?', language: 'nl' });
    expect(res.statusCode).toBe(303);
    project = String(res.headers.location).split('/').pop()!;
    const doc = await post(lead, `/app/qual/${project}/documents`, {
      case: 'P01',
      text: TEXT,
      profession: 'psycholoog',
    });
    expect(doc.statusCode).toBe(303);
    const stored = await t.store.db
      .selectFrom('qual_documents')
      .select(['ciphertext', 'text_length'])
      .executeTakeFirstOrThrow();
    expect(stored.ciphertext).not.toContain('Utrecht');
    expect(stored.text_length).toBe(TEXT.length);
    // The pseudonymisation pass suggests the place and replaces it before coding starts.
    const suggestions = await lead.request('GET', `/app/qual/${project}/pseudonymise?case=P01`);
    expect(suggestions.body).toContain('Utrecht');
    expect(
      (await post(lead, `/app/qual/${project}/pseudonymise?case=P01`, { replacements: 'Utrecht = [stad]' })).statusCode,
    ).toBe(303);
    const csv = 'label,name,colour\n1A,Voorbeeld in de familie,#1f77b4\n1B,Nieuwsgierigheid,#ff7f0e\n';
    expect((await post(lead, `/app/qual/${project}/codebook`, { fileName: 'c.csv', content: csv })).statusCode).toBe(
      303,
    );
    expect((await post(lead, `/app/qual/${project}/members`, { user: coderId, role: 'coder' })).statusCode).toBe(303);
    const page = await coder.request('GET', `/app/qual/${project}/code?case=P01`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('[stad]');
    expect(page.body).not.toContain('Utrecht');
  });

  it('refuses a bad codebook, a selection outside the text and an unknown code, changing nothing', async () => {
    const bad = await post(lead, `/app/qual/${project}/codebook`, {
      fileName: 'c.csv',
      content: 'label,name\n1A,x\n1A,y\n',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('QUAL_IMPORT_INVALID');
    const outside = await post(coder, `/app/qual/${project}/segments`, {
      case: 'P01',
      code: '1A',
      start: '5',
      end: '9999',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('QUAL_SEGMENT_INVALID');
    const unknown = await post(coder, `/app/qual/${project}/segments`, {
      case: 'P01',
      code: '9Z',
      start: '0',
      end: '5',
    });
    expect(unknown.statusCode).toBe(404);
    expect(await segmentCount()).toBe(0);
    expect((await t.store.db.selectFrom('qual_codes').select('label').execute()).map((c) => c.label).sort()).toEqual([
      '1A',
      '1B',
    ]);
  });

  it('keeps coders blind and fixes a coded transcript (409)', async () => {
    const ok = await post(coder, `/app/qual/${project}/segments`, {
      case: 'P01',
      code: ['1A', '1B'],
      start: '0',
      end: '20',
    });
    expect(ok.statusCode).toBe(303);
    expect(await segmentCount()).toBe(2);
    expect((await coder.request('GET', `/app/qual/${project}/agreement`)).statusCode).toBe(409);
    // The investigator's coding page shows the consensus layer, not the coder's segments.
    const leadPage = await lead.request('GET', `/app/qual/${project}/code?case=P01`);
    expect(leadPage.body).not.toContain('<mark');
    const replace = await post(lead, `/app/qual/${project}/documents`, { case: 'P01', text: 'Andere tekst.' });
    expect(replace.statusCode).toBe(409);
    expect(replace.body).toContain('QUAL_CASE_IN_USE');
    // Coders may not lead: investigator routes answer 403 to a therapist.
    expect((await post(coder, `/app/qual/${project}/blinding`, { blinded: 'false' })).statusCode).toBe(403);
  });

  it('answers a member-check link once, storing the answer without an IP address', async () => {
    await post(lead, `/app/qual/${project}/consensus`, {
      case: 'P01',
      code: '1A',
      start: '0',
      end: '20',
      decision: 'accept',
      memo: 'Eens',
    });
    const made = await post(lead, `/app/qual/${project}/member-checks`, { case: 'P01' });
    const token = /link=([A-Za-z0-9_-]+)/.exec(String(made.headers.location))![1]!;
    const anonymous = new Agent(t.app);
    const view = await anonymous.request('GET', `/mc/${token}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Voorbeeld in de familie');
    const answer = await anonymous.request('POST', `/mc/${token}`, { form: { agree_1A: 'yes', comment_1A: 'Klopt.' } });
    expect(answer.statusCode).toBe(200);
    expect((await anonymous.request('GET', `/mc/${token}`)).statusCode).toBe(410);
    expect((await anonymous.request('POST', `/mc/${token}`, { form: { agree_1A: 'no' } })).statusCode).toBe(410);
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select(['ip', 'details'])
      .where('action', '=', 'qual.member_check.answer')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.ip).toBeNull();
    const overview = await lead.request('GET', `/app/qual/${project}`);
    expect(overview.body).toContain('Klopt.');
  });

  it('records a rejected code, so the disagreement list shows it decided and offers it no more', async () => {
    const reject = { case: 'P01', code: '1B', start: '0', end: '20', decision: 'reject', memo: 'Geen voorbeeld' };
    expect((await post(lead, `/app/qual/${project}/consensus`, reject)).statusCode).toBe(303);
    expect((await post(lead, `/app/qual/${project}/consensus`, reject)).statusCode).toBe(303);
    const rejections = await t.store.db.selectFrom('qual_consensus_rejections').selectAll().execute();
    expect(rejections).toHaveLength(1);
    const page = await lead.request('GET', `/app/qual/${project}/consensus?case=P01`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('verworpen in consensus');
    // 1A was accepted and 1B rejected: no decision form is left for this passage.
    expect(page.body).not.toContain('name="decision"');
    expect(
      await t.store.db.selectFrom('audit_log').select('action').where('action', '=', 'qual.consensus.reject').execute(),
    ).toHaveLength(1);
  });

  it('retrieves cases by a boolean query and compares codes by attribute', async () => {
    const found = await lead.request('GET', `/app/qual/${project}/explore?q=${encodeURIComponent('1A AND NOT 1B')}`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('1 interview voldoet: P01');
    expect(found.body).toContain('beroep');
    const none = await lead.request('GET', `/app/qual/${project}/explore?q=1B`);
    expect(none.body).toContain('Geen interview voldoet.');
    const broken = await lead.request('GET', `/app/qual/${project}/explore?q=${encodeURIComponent('1A AND (')}`);
    expect(broken.statusCode).toBe(200);
    expect(broken.body).toContain('role="alert"');
  });

  it('renames, splits and merges codes, keeping the segments and a history', async () => {
    const segments = async () =>
      (
        await t.store.db
          .selectFrom('qual_segments as s')
          .innerJoin('qual_codes as c', 'c.id', 's.code_id')
          .select(['s.id', 'c.label'])
          .execute()
      ).map((r) => r.label);
    const before = (await segments()).sort();
    const taken = await post(lead, `/app/qual/${project}/codes/1B`, { label: '1A', name: 'Dubbel', colour: '#ff7f0e' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('QUAL_CODE_LABEL_TAKEN');
    const renamed = await post(lead, `/app/qual/${project}/codes/1B`, {
      label: '1C',
      name: 'Nieuwsgierigheid naar mensen',
      colour: '#ff7f0e',
    });
    expect(renamed.statusCode).toBe(303);
    const oneC = (
      await t.store.db
        .selectFrom('qual_segments as s')
        .innerJoin('qual_codes as c', 'c.id', 's.code_id')
        .select('s.id')
        .where('c.label', '=', '1C')
        .execute()
    ).map((r) => r.id);
    expect(oneC.length).toBeGreaterThan(0);
    const split = await post(lead, `/app/qual/${project}/codes/1C/split`, {
      label: '1D',
      name: 'Afgesplitst',
      segment: oneC,
    });
    expect(split.statusCode).toBe(303);
    expect((await post(lead, `/app/qual/${project}/codes/1D/merge`, { into: '1D' })).statusCode).toBe(422);
    const merged = await post(lead, `/app/qual/${project}/codes/1D/merge`, { into: '1A' });
    expect(merged.statusCode).toBe(303);
    // Every segment is still there, now under 1A or 1C; the history is on the codes.
    const after = await segments();
    expect(after.length).toBe(before.length);
    expect(after.every((l) => l === '1A' || l === '1C')).toBe(true);
    const page = await lead.request('GET', `/app/qual/${project}/codes/1A`);
    expect(page.body).toContain('1D samengevoegd in deze code');
    const renamedPage = await lead.request('GET', `/app/qual/${project}/codes/1C`);
    expect(renamedPage.body).toContain('Hernoemd van');
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';
import { BRANCHING_SURVEY } from '../../domain/research/fixtures.ts';

// Paper questionnaires: a single entry is stored at once; a double entry is stored when both entries
// agree, or after the researcher resolves each difference; a paper is stored only once.

describeEachDialect('paper questionnaires with double data entry', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let researcher: Agent;
  let base = '';
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'uni');
    await createUser(t.app, org, 'r@uni.test', ['researcher']);
    researcher = new Agent(t.app);
    await researcher.login('r@uni.test');
    const csrf = await researcher.csrf('/app/research/studies');
    const res = await researcher.request('POST', '/app/research/studies', {
      form: {
        _csrf: csrf,
        title: 'Huilen in therapie',
        ethics: 'ETH-1',
        legal: 'consent',
        retention: '2030-01-01',
        letter: 'Brief',
        consent: 'Ik doe mee',
        survey: BRANCHING_SURVEY,
      },
    });
    base = String(res.headers.location);
  });
  afterAll(() => t.close());

  const enter = async (paper: string, entry: string, answers: Record<string, string>) => {
    const csrf = await researcher.csrf(`${base}/paper`);
    return researcher.request('POST', `${base}/paper`, { form: { _csrf: csrf, paper, entry, ...answers } });
  };
  const responses = async () =>
    (await t.store.db.selectFrom('research_responses').select('channel').execute()).filter((r) => r.channel === 'paper')
      .length;
  const paper = { 'a.gender': '2', 'a.age': '44', 'a.cried': '1', 'a.lump': '3', 'a.att1': '6', 'a.att2': '2' };

  it('stores a single entry at once, and a paper only once', async () => {
    const res = await enter('S1', 'single', paper);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-outcome="stored"');
    expect(await responses()).toBe(1);
    const again = await enter('S1', 'single', paper);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('PAPER_DONE');
    expect(await responses()).toBe(1);
  });

  it('stores a double entry when both entries agree, and refuses a third', async () => {
    expect((await enter('D1', '1', paper)).body).toContain('data-outcome="waiting"');
    expect(await responses()).toBe(1);
    expect((await enter('D1', '2', paper)).body).toContain('data-outcome="stored"');
    expect(await responses()).toBe(2);
    expect((await enter('D1', '2', paper)).statusCode).toBe(409);
  });

  it('lists the differences of two entries and stores the choices the researcher makes', async () => {
    await enter('D2', '1', paper);
    const second = await enter('D2', '2', { ...paper, 'a.age': '45', 'a.att2': '' });
    expect(second.statusCode).toBe(303);
    const list = await researcher.request('GET', String(second.headers.location));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('name="c.age"');
    expect(list.body).toContain('name="c.att2"');
    expect(list.body).not.toContain('name="c.gender"');
    expect(await responses()).toBe(2);
    const csrf = await researcher.csrf(`${base}/paper`);
    const incomplete = await researcher.request('POST', `${base}/paper/D2`, { form: { _csrf: csrf, 'c.age': '2' } });
    expect(incomplete.statusCode).toBe(400);
    expect(await responses()).toBe(2);
    const resolved = await researcher.request('POST', `${base}/paper/D2`, {
      form: { _csrf: csrf, 'c.age': '2', 'c.att2': '1' },
    });
    expect(resolved.statusCode).toBe(303);
    const rows = await t.store.db.selectFrom('research_responses').select(['channel', 'response']).execute();
    const stored = rows.filter((r) => r.channel === 'paper').map((r) => JSON.stringify(r.response));
    expect(stored).toHaveLength(3);
    const last = stored.find((r) => r.includes('"valueInteger":45'));
    expect(last).toBeDefined();
    expect(last).toContain('"linkId":"att2"');
    const overview = await researcher.request('GET', `${base}/paper`);
    expect(overview.body).toContain('opgeslagen na 2 opgeloste verschillen');
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

describeEachDialect('research tool', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let researcher: Agent;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'uni');
    await createUser(t.app, org, 'r@uni.test', ['researcher']);
    await createUser(t.app, org, 't@uni.test', ['therapist']);
    researcher = new Agent(t.app);
    await researcher.login('r@uni.test');
  });
  afterAll(() => t.close());

  it('reproduces seed 000: therapists vs the Dutch norm on crying proneness', async () => {
    const nl = await researcher.request('GET', '/app/research');
    expect(nl.body).toContain('t(1356,75) = 31,48, p &lt; ,001, d = 1,71');
    const en = await researcher.request('GET', '/app/research?lang=en');
    expect(en.body).toContain('t(1356.75) = 31.48, p &lt; .001, d = 1.71');
  });

  it('explains degenerate input instead of printing NaN', async () => {
    const res = await researcher.request('GET', '/app/research?gsd=0&nsd=0&lang=en');
    expect(res.body).toContain('role="alert"');
    expect(res.body).not.toContain('NaN');
  });

  it('is for researchers', async () => {
    const therapist = new Agent(t.app);
    await therapist.login('t@uni.test');
    expect(
      (await therapist.request('GET', '/app/research', { headers: { accept: 'application/json' } })).statusCode,
    ).toBe(403);
  });
});

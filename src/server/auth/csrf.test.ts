import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

// Issue 21: a CSRF token is bound to the staff session it was issued in, not only to the cookie secret.

describeEachDialect('CSRF tokens bound to the session', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'csrfbind');
    for (const name of ['one', 'two']) await createUser(t.app, org, `${name}@csrfbind.test`, ['therapist']);
  }, 120_000);
  afterAll(() => t.close());

  const logout = (agent: Agent, token: string) =>
    agent.request('POST', '/logout', { form: { _csrf: token }, accept: 'application/json' });

  it('refuses a token from before login, and one from another session with the same secret', async () => {
    const one = new Agent(t.app, '10.9.1.1');
    const beforeLogin = await one.csrf('/login');
    expect((await one.login('one@csrfbind.test')).statusCode).toBe(303);
    const refused = await logout(one, beforeLogin);
    expect(refused.statusCode).toBe(403);

    // A second session that shares the first one's CSRF cookie secret (as a stolen token would).
    const two = new Agent(t.app, '10.9.1.2');
    expect((await two.login('two@csrfbind.test')).statusCode).toBe(303);
    const twoToken = await two.csrf('/app/account');
    const secretName = Object.keys(one.cookies).find((c) => c.endsWith('csrf'))!;
    two.cookies[secretName] = one.cookies[secretName];
    const oneToken = await one.csrf('/app/account');
    expect((await logout(two, oneToken)).statusCode).toBe(403);

    // The session's own tokens work.
    expect((await logout(one, oneToken)).statusCode).toBe(303);
    two.cookies[secretName] = one.cookies[secretName];
    const fresh = await two.csrf('/app/account');
    expect(fresh).not.toBe(twoToken);
    expect((await logout(two, fresh)).statusCode).toBe(303);
  });
});

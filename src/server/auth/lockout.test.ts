import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

describeEachDialect('lockout', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'lockout');
    await createUser(t.app, org, 'target@lockout.test', ['therapist']);
  }, 120_000);
  afterAll(() => t.close());

  it('evaluates at most 5 of 40 concurrent wrong guesses, and answers a locked account like an unknown one', async () => {
    const agents = Array.from({ length: 40 }, (_, i) => new Agent(t.app, `10.7.${Math.floor(i / 200)}.${i + 1}`));
    const tokens = await Promise.all(agents.map((a) => a.csrf('/login')));
    const responses = await Promise.all(
      agents.map((a, i) =>
        a.request('POST', '/login', {
          form: { email: 'target@lockout.test', password: `wrong guess number ${i}`, _csrf: tokens[i] },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 401)).toEqual([]);
    const evaluated = await t.store.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'auth.login')
      .where('outcome', '=', 'denied')
      .execute();
    const reasons = evaluated.map((r) => (r.details as { reason: string }).reason);
    expect(reasons.filter((r) => r === 'password').length).toBeLessThanOrEqual(5);
    expect(reasons.filter((r) => r === 'locked').length).toBeGreaterThanOrEqual(35);
    // The right password is refused while locked, with the same answer as for an address without account.
    const locked = await new Agent(t.app, '10.7.9.1').login('target@lockout.test');
    const unknown = await new Agent(t.app, '10.7.9.2').login('nobody@lockout.test');
    expect(locked.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(locked.body.replace(/(value|content)="[^"]*"/g, '')).toBe(
      unknown.body.replace(/(value|content)="[^"]*"/g, ''),
    );
  });
});

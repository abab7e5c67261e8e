import { afterAll, beforeAll, expect, it } from 'vitest';
import { generate } from 'otplib';
import { sql } from 'kysely';
import { describeEachDialect } from '../../store/testing.ts';
import { sealPlaintextTotpSecrets, sealTotpSecret } from '../../store/totp-secrets.ts';
import { appKeyring } from '../keyring.ts';
import { createOrg, createUser, TEST_PASSWORD, testApp } from '../testing.ts';
import { IpAgent } from './agent-testing.ts';

// Issue 21: TOTP secrets are encrypted at rest, and the code is asked in the same step as the password
// with one generic answer for every failure.

const secretOf = (page: string) => /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(page)![1].replace(/ /g, '');
const codeAt = (secret: string, stepsAhead: number) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
/** The login page without its per-request tokens and nonces. */
const bare = (body: string) => body.replace(/(value|content|nonce)="[^"]*"/g, '');

describeEachDialect('TOTP at rest and in one login step', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let orgId: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    orgId = await createOrg(t.app, 'totprest', { requireTotp: false });
    for (const name of ['enrolled', 'legacy', 'other'])
      await createUser(t.app, orgId, `${name}@totprest.test`, ['therapist']);
  }, 120_000);
  afterAll(() => t.close());

  async function enrol(email: string): Promise<string> {
    const agent = new IpAgent(t.app);
    await agent.login(email);
    const secret = secretOf((await agent.request('GET', '/app/account/totp')).body);
    const done = await agent.post('/app/account/totp', { code: await codeAt(secret, 0) });
    expect(done.headers.location).toBe('/app/account?notice=totp');
    return secret;
  }

  const userRow = (email: string) =>
    t.store.db
      .selectFrom('users')
      .select(['id', 'org_id', 'totp_secret', 'totp_key_id'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();

  it('stores the TOTP secret encrypted (no plain text in the column), and login with the code still works', async () => {
    const secret = await enrol('enrolled@totprest.test');
    const row = await userRow('enrolled@totprest.test');
    expect(row.totp_key_id).toBe(appKeyring(t.app).current.id);
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(secret);
    // Nowhere in the users table, in any encoding the secret is typed in.
    const dump = await sql<{ text: string }>`SELECT u::text AS text FROM users u`.execute(t.store.db);
    for (const { text } of dump.rows) {
      expect(text).not.toContain(secret);
      expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    const login = await new IpAgent(t.app).login('enrolled@totprest.test', TEST_PASSWORD, await codeAt(secret, 1));
    expect(login.headers.location).toBe('/app');
  });

  it('a sealed secret copied to another user does not open (bound to the user row)', async () => {
    const source = await userRow('enrolled@totprest.test');
    const other = await userRow('other@totprest.test');
    await t.store.db
      .updateTable('users')
      .set({ totp_secret: source.totp_secret, totp_key_id: source.totp_key_id, totp_enabled: true })
      .where('id', '=', other.id)
      .execute();
    const res = await new IpAgent(t.app).login('other@totprest.test', TEST_PASSWORD, '123456');
    expect(res.statusCode).toBe(500); // a tampered row is an error for the operator, never a login
    await t.store.db
      .updateTable('users')
      .set({ totp_secret: null, totp_key_id: null, totp_enabled: false })
      .where('id', '=', other.id)
      .execute();
  });

  it('a plain-text secret from before migration 063 still works and is sealed at the next start', async () => {
    const user = await userRow('legacy@totprest.test');
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await t.store.db
      .updateTable('users')
      .set({ totp_secret: secret, totp_key_id: null, totp_enabled: true })
      .where('id', '=', user.id)
      .execute();
    const before = await new IpAgent(t.app).login('legacy@totprest.test', TEST_PASSWORD, await codeAt(secret, 0));
    expect(before.headers.location).toBe('/app');
    expect(await sealPlaintextTotpSecrets(t.store.db, appKeyring(t.app))).toBe(1);
    expect(await sealPlaintextTotpSecrets(t.store.db, appKeyring(t.app))).toBe(0);
    const sealed = await userRow('legacy@totprest.test');
    expect(sealed.totp_secret).not.toContain(secret);
    expect(sealed.totp_key_id).toBe(appKeyring(t.app).current.id);
    const after = await new IpAgent(t.app).login('legacy@totprest.test', TEST_PASSWORD, await codeAt(secret, 1));
    expect(after.headers.location).toBe('/app');
    expect(sealTotpSecret(appKeyring(t.app), user.id, user.org_id, secret).totp_secret).not.toBe(sealed.totp_secret);
  });

  it('asks the code with the password: a missing or wrong code answers exactly like a wrong password', async () => {
    const page = await new IpAgent(t.app).request('GET', '/login?lang=en');
    expect(page.body).toContain('name="password"');
    expect(page.body).toContain('name="totp"');
    const answers = await Promise.all([
      new IpAgent(t.app).login('enrolled@totprest.test', 'not the right password'),
      new IpAgent(t.app).login('enrolled@totprest.test'),
      new IpAgent(t.app).login('enrolled@totprest.test', TEST_PASSWORD, '000000'),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401]);
    expect(bare(answers[1].body)).toBe(bare(answers[0].body));
    expect(bare(answers[2].body)).toBe(bare(answers[0].body));
    expect(answers[0].body).toContain('E-mailadres, wachtwoord of code uit je authenticator-app klopt niet.');
    // Each failure is audited with its reason (admins only see the reason, never the code).
    const reasons = await t.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.login')
      .where('outcome', '=', 'denied')
      .where('actor_id', '=', (await userRow('enrolled@totprest.test')).id)
      .execute();
    expect(reasons.map((r) => (r.details as { reason: string }).reason).sort()).toEqual([
      'password',
      'totp',
      'totp_missing',
    ]);
  });
});

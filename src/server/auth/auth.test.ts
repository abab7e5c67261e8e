import { afterAll, beforeAll, expect, it } from 'vitest';
import { generate } from 'otplib';
import { loadConfig } from '../../config.ts';
import { describeEachDialect, freshStore } from '../../store/testing.ts';
import { sha256 } from '../../store/users.ts';
import { buildApp } from '../app.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { createOrg, createUser, TEST_PASSWORD, testApp } from '../testing.ts';
import { IpAgent } from './agent-testing.ts';
import { captureMail, linkTokenIn, waitForLinkToken, type SentMail } from './mail-testing.ts';
import { mailerFromEnv } from './mailer.ts';
import { ABSOLUTE_TIMEOUT_MS, createSession, IDLE_TIMEOUT_MS, resolveSession } from './sessions.ts';

// OWASP ASVS 4.0.3 level 2, chapters V2 (authentication) and V3 (sessions), as tests. Each title
// names the requirement it covers; docs/security.md maps them back.

const secretOf = (page: string) => /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(page)![1].replace(/ /g, '');
const nextStepCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
const sessionOf = (agent: IpAgent) => agent.cookies.spiegel_session;

describeEachDialect('authentication and sessions (ASVS V2, V3)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let mail: SentMail[];
  let orgId: string;
  let admin: IpAgent;

  beforeAll(async () => {
    t = await testApp(dialect);
    mail = captureMail(t.app);
    orgId = await createOrg(t.app, 'auth', { requireTotp: false });
    await createUser(t.app, orgId, 'admin@auth.test', ['admin']);
    for (const name of ['change', 'lock', 'totp', 'rot', 'idle'])
      await createUser(t.app, orgId, `${name}@auth.test`, ['therapist']);
    admin = new IpAgent(t.app);
    expect((await admin.login('admin@auth.test')).statusCode).toBe(303);
  });
  afterAll(() => t.close());

  async function invite(email: string, roles = 'therapist'): Promise<string> {
    await admin.request('GET', '/app/admin/users');
    const res = await admin.post('/app/admin/users', { email, displayName: email.split('@')[0], roles });
    expect(res.statusCode).toBe(200);
    return linkTokenIn(mail, email);
  }

  it('ASVS 2.1.1, 2.1.2, 2.1.4: a new password needs 12+ characters, may be 128 of any Unicode, not 129', async () => {
    const token = await invite('new@auth.test');
    const agent = new IpAgent(t.app);
    const page = await agent.request('GET', `/password/set/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('new@auth.test');
    for (const bad of ['elevenchars', 'ü'.repeat(129)]) {
      const res = await agent.post('/password/set', { token, password: bad, repeat: bad });
      expect(res.statusCode).toBe(400);
    }
    const good = 'Zeer lang wachtwoord 🌷 '.repeat(6).slice(0, 128);
    expect([...good].length).toBeLessThanOrEqual(128);
    const set = await agent.post('/password/set', { token, password: good, repeat: good });
    expect(set.statusCode).toBe(303);
    expect(set.headers.location).toBe('/login?notice=password-set');
    expect((await new IpAgent(t.app).login('new@auth.test', good)).headers.location).toBe('/app');
  });

  it('ASVS 2.3.1, 2.5.1, 2.5.6: password links are random, stored only as a hash, single-use and expiring', async () => {
    const token = await invite('once@auth.test');
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const rows = await t.store.db
      .selectFrom('password_tokens')
      .select(['token_hash', 'purpose', 'expires_at'])
      .where('token_hash', 'in', [token, sha256(token)])
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(token));
    expect(new Date(rows[0].expires_at).getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const agent = new IpAgent(t.app);
    await agent.request('GET', `/password/set/${token}`);
    expect(
      (await agent.post('/password/set', { token, password: 'first good password', repeat: 'first good password' }))
        .statusCode,
    ).toBe(303);
    await agent.request('GET', '/login');
    expect(
      (await agent.post('/password/set', { token, password: 'second good password', repeat: 'second good password' }))
        .statusCode,
    ).toBe(400);
    expect((await agent.request('GET', `/password/set/${token}`)).statusCode).toBe(400);
    // An expired reset link no longer works.
    const forgot = new IpAgent(t.app);
    await forgot.request('GET', '/password/forgot');
    const sentBefore = mail.length;
    await forgot.post('/password/forgot', { email: 'once@auth.test' });
    const reset = await waitForLinkToken(mail, 'once@auth.test', sentBefore);
    await t.store.db
      .updateTable('password_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', sha256(reset))
      .execute();
    expect((await forgot.request('GET', `/password/set/${reset}`)).statusCode).toBe(400);
  });

  it('ASVS 2.5.2, 2.5.3: recovery uses no hints, never shows a password, and answers the same for unknown addresses', async () => {
    const agent = new IpAgent(t.app);
    await agent.request('GET', '/password/forgot');
    const before = mail.length;
    const known = await agent.post('/password/forgot', { email: 'change@auth.test' });
    await agent.request('GET', '/password/forgot');
    const unknown = await agent.post('/password/forgot', { email: 'nobody@auth.test' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const strip = (body: string) => body.replace(/value="[^"]+"|content="[^"]+"/g, '');
    expect(strip(known.body)).toBe(strip(unknown.body));
    await waitForLinkToken(mail, 'change@auth.test', before);
    expect(mail.length).toBe(before + 1);
    expect(mail[mail.length - 1].text).not.toContain(TEST_PASSWORD);
  });

  it('ASVS 2.1.5, 2.1.6, 3.3.3, 2.2.3: a password change needs the current password, ends other sessions and sends a notice', async () => {
    const a = new IpAgent(t.app);
    const b = new IpAgent(t.app);
    await a.login('change@auth.test');
    await b.login('change@auth.test');
    await a.request('GET', '/app/account');
    const wrong = await a.post('/app/account/password', {
      current: 'not my password',
      password: 'a brand new password',
      repeat: 'a brand new password',
    });
    expect(wrong.statusCode).toBe(400);
    const before = sessionOf(a);
    await a.request('GET', '/app/account');
    const ok = await a.post('/app/account/password', {
      current: TEST_PASSWORD,
      password: 'a brand new password',
      repeat: 'a brand new password',
    });
    expect(ok.statusCode).toBe(303);
    expect(sessionOf(a)).not.toBe(before); // rotated
    expect((await a.request('GET', '/app/account')).statusCode).toBe(200);
    expect((await b.request('GET', '/app')).headers.location).toBe('/login'); // the other session ended
    expect(mail.at(-1)).toMatchObject({ to: 'change@auth.test' });
    expect(mail.at(-1)!.text).toContain('wachtwoord');
  });

  it('ASVS 2.2.1: five wrong passwords or TOTP codes lock the account; the login form is rate limited', async () => {
    const agent = new IpAgent(t.app);
    for (let i = 0; i < 5; i++) expect((await agent.login('lock@auth.test', 'wrong password!!')).statusCode).toBe(401);
    expect((await agent.login('lock@auth.test')).statusCode).toBe(401); // locked, but answered like a wrong password
    const flood = new IpAgent(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await flood.login(`nobody${i}@auth.test`, 'x')).statusCode);
    expect(statuses).toContain(429);
  });

  it('ASVS 2.4.1, 2.4.2: passwords are stored as salted argon2id at OWASP parameters', async () => {
    const rows = await t.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', 'in', ['new@auth.test', 'once@auth.test'])
      .execute();
    for (const { password_hash } of rows)
      expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22,}\$/);
    expect(rows[0].password_hash).not.toBe(rows[1].password_hash);
  });

  it('ASVS 2.8.1, 2.8.3, 2.8.4, 2.2.3: TOTP enrolment shows a QR code and the secret, confirms with a code, accepts each code once', async () => {
    const agent = new IpAgent(t.app);
    await agent.login('totp@auth.test');
    const page = await agent.request('GET', '/app/account/totp');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<div class="qr" role="img" aria-label="[^"]+"><svg/);
    expect(page.body).not.toMatch(/style=/);
    const secret = secretOf(page.body);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect((await agent.post('/app/account/totp', { code: '123' })).statusCode).toBe(400);
    const before = sessionOf(agent);
    const code = await generate({ secret });
    expect((await agent.post('/app/account/totp', { code })).headers.location).toBe('/app/account?notice=totp');
    expect(sessionOf(agent)).not.toBe(before); // ASVS 3.2.1: a new session after a new factor
    expect(mail.at(-1)).toMatchObject({ to: 'totp@auth.test' });
    // Login now needs the code, and the code just used is refused (replay).
    expect((await new IpAgent(t.app).login('totp@auth.test')).statusCode).toBe(401);
    expect((await new IpAgent(t.app).login('totp@auth.test', TEST_PASSWORD, code)).statusCode).toBe(401);
    const next = await nextStepCode(secret);
    expect((await new IpAgent(t.app).login('totp@auth.test', TEST_PASSWORD, next)).headers.location).toBe('/app');
    expect((await new IpAgent(t.app).login('totp@auth.test', TEST_PASSWORD, next)).statusCode).toBe(401);
  });

  it('ASVS 4.3.1, 2.2.1: with requireTotp, staff who see client data (and admins) must enrol before anything else', async () => {
    const org = await createOrg(t.app, 'strict', { requireTotp: true });
    await createUser(t.app, org, 'strict@auth.test', ['therapist']);
    await createUser(t.app, org, 'manager@auth.test', ['manager']);
    const agent = new IpAgent(t.app);
    expect((await agent.login('strict@auth.test')).headers.location).toBe('/app');
    expect((await agent.request('GET', '/app')).headers.location).toBe('/app/account/totp');
    const api = await agent.request('GET', '/api/clients', { accept: 'application/json' });
    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('TOTP_ENROLMENT_REQUIRED');
    const page = await agent.request('GET', '/app/account/totp');
    expect(page.body).toContain('class="notice"');
    await agent.post('/app/account/totp', { code: await generate({ secret: secretOf(page.body) }) });
    expect((await agent.request('GET', '/app')).statusCode).toBe(200);
    const manager = new IpAgent(t.app);
    await manager.login('manager@auth.test');
    expect((await manager.request('GET', '/app')).statusCode).toBe(200); // managers see aggregates only
  });

  it('ASVS 2.8.6, 2.5.7, 3.7.1: an admin revokes a lost TOTP device or changes roles, which ends the user’s sessions', async () => {
    const user = await t.store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'totp@auth.test')
      .executeTakeFirstOrThrow();
    const victim = new IpAgent(t.app);
    await t.store.db.updateTable('users').set({ totp_enabled: false }).where('id', '=', user.id).execute();
    await victim.login('totp@auth.test');
    expect((await victim.request('GET', '/app')).statusCode).toBe(200);
    await admin.request('GET', '/app/admin/users');
    expect((await admin.post(`/app/admin/users/${user.id}/totp-reset`, {})).statusCode).toBe(200);
    expect((await victim.request('GET', '/app')).headers.location).toBe('/login');
    await victim.login('totp@auth.test');
    await admin.request('GET', '/app/admin/users');
    expect((await admin.post(`/app/admin/users/${user.id}`, { roles: 'researcher', active: 'true' })).statusCode).toBe(
      200,
    );
    expect((await victim.request('GET', '/app')).headers.location).toBe('/login');
    const roles = await t.store.db
      .selectFrom('users')
      .select('roles')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(roles.roles).toEqual(['researcher']);
  });

  it('ASVS 3.1.1, 3.2.1, 3.2.2, 3.2.4: a fresh random session token on login, only in a cookie, stored as a hash', async () => {
    const agent = new IpAgent(t.app);
    await agent.request('GET', '/login');
    const first = await agent.login('rot@auth.test');
    const token1 = sessionOf(agent);
    expect(first.headers.location).toBe('/app');
    expect(token1).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits from crypto.randomBytes
    await agent.request('GET', '/login?lang=nl');
    const again = await agent.post('/login', { email: 'rot@auth.test', password: TEST_PASSWORD });
    expect(again.statusCode).toBe(303);
    expect(sessionOf(agent)).not.toBe(token1);
    const stored = await t.store.db
      .selectFrom('staff_sessions')
      .select('id')
      .where('id', 'in', [token1, sha256(token1)])
      .execute();
    expect(stored).toEqual([]); // the old one is gone and tokens are never stored in the clear
  });

  it('ASVS 3.3.1: logout ends the session on the server; the old cookie does not work again', async () => {
    const agent = new IpAgent(t.app);
    await agent.login('rot@auth.test');
    const token = sessionOf(agent);
    await agent.request('GET', '/app');
    await agent.post('/logout', {});
    const replay = await t.app.inject({
      url: '/app',
      headers: { accept: 'text/html' },
      cookies: { spiegel_session: token },
    });
    expect(replay.headers.location).toBe('/login');
  });

  it('ASVS 3.3.2: sessions end after 30 minutes idle and 12 hours in total', async () => {
    const user = await t.store.db
      .selectFrom('users')
      .select(['id', 'org_id'])
      .where('email', '=', 'idle@auth.test')
      .executeTakeFirstOrThrow();
    expect(IDLE_TIMEOUT_MS).toBe(30 * 60_000);
    expect(ABSOLUTE_TIMEOUT_MS).toBe(12 * 3_600_000);
    const idle = await createSession(t.store.db, user);
    expect(await resolveSession(t.store.db, idle, new Date(Date.now() + IDLE_TIMEOUT_MS + 60_000))).toBeNull();
    const start = Date.now();
    const active = await createSession(t.store.db, user);
    // Active every 20 minutes, it lives until the absolute limit, and not a minute beyond.
    for (let now = start + 20 * 60_000; now < start + ABSOLUTE_TIMEOUT_MS - 60_000; now += 20 * 60_000) {
      expect(await resolveSession(t.store.db, active, new Date(now))).not.toBeNull();
    }
    expect(await resolveSession(t.store.db, active, new Date(start + ABSOLUTE_TIMEOUT_MS + 60_000))).toBeNull();
  });

  it('ASVS 2.10.4, 14.1.3: the SMTP server comes from the environment only, validated and never echoed with its password', () => {
    expect(mailerFromEnv({}).configured).toBe(false);
    expect(mailerFromEnv({ SPIEGEL_SMTP_URL: 'smtps://user:secret@mail.example.org:465' }).configured).toBe(true);
    expect(() => mailerFromEnv({ SPIEGEL_SMTP_URL: 'http://user:secret@mail.example.org' })).toThrow(
      /SPIEGEL_SMTP_URL/,
    );
    try {
      mailerFromEnv({ SPIEGEL_SMTP_URL: 'http://user:secret@mail.example.org' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });
});

describeEachDialect('cookies and headers behind TLS (ASVS 3.4, 14.4)', (dialect) => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
    const config = {
      ...loadConfig({ LOG_LEVEL: 'silent', SPIEGEL_PUBLIC_URL: 'https://spiegel.example.org', SPIEGEL_DEMO: 'true' }),
      dataDir: 'memory',
    };
    app = await buildApp({ store, config, instruments: shippedInstruments() });
    await app.ready();
    const org = await createOrg(app, 'tls');
    await createUser(app, org, 'tls@auth.test', ['therapist']);
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('ASVS 3.4.1, 3.4.2, 3.4.3, 3.4.4, 3.4.5: the session cookie is __Host-, Secure, HttpOnly, SameSite and path /', async () => {
    const agent = new IpAgent(app);
    const res = await agent.login('tls@auth.test');
    const cookie = res.cookies.find((c) => c.name === '__Host-spiegel_session')!;
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.domain).toBeUndefined();
    // The CSRF secret cookie is __Host- prefixed too (issue 21).
    const page = await app.inject('/login');
    const csrf = page.cookies.find((c) => c.name === '__Host-csrf')!;
    expect(csrf).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(csrf.domain).toBeUndefined();
    expect(page.cookies.find((c) => c.name === '_csrf')).toBeUndefined();
  });

  it('ASVS 14.4.5: sends HSTS when cookies are secure (and 14.4.3, 14.4.7: a strict CSP without frames)', async () => {
    const res = await app.inject('/login');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(String(res.headers['content-security-policy'])).not.toContain('unsafe-inline');
  });
});

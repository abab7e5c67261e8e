import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { describeEachDialect, freshStore } from '../../store/testing.ts';
import { buildApp } from '../app.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { createOrg, createUser, TEST_PASSWORD } from '../testing.ts';
import { IpAgent } from './agent-testing.ts';
import { captureMail, linkTokenIn, waitForLinkToken, type SentMail } from './mail-testing.ts';
import { Mailer } from './mailer.ts';

// OWASP ASVS V7 (error handling and logging): the server log, captured from pino at debug level
// through the login, password-reset, invitation and TOTP flows, never holds a password, a link token
// or a cookie value; security decisions go to the audit trail.

describeEachDialect('logging (ASVS V7)', (dialect) => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let mail: SentMail[];
  const lines: string[] = [];
  const log = () => lines.join('');

  beforeAll(async () => {
    store = await freshStore(dialect);
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const config = { ...loadConfig({ LOG_LEVEL: 'debug', SPIEGEL_DEMO: 'true' }), dataDir: 'memory' };
    app = await buildApp({ store, config, instruments: shippedInstruments() }, { logger: { level: 'debug', stream } });
    await app.ready();
    mail = captureMail(app);
    const org = await createOrg(app, 'logs');
    await createUser(app, org, 'admin@logs.test', ['admin']);
    await createUser(app, org, 'staff@logs.test', ['therapist']);
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('ASVS 7.1.1, 7.1.2, 7.2.1, 3.1.1: no password, link token or cookie value reaches the log in login, reset, invite and TOTP flows', async () => {
    const secrets = new Set<string>([TEST_PASSWORD]);
    const admin = new IpAgent(app);
    await admin.login('admin@logs.test');
    await admin.request('GET', '/app/admin/users');
    await admin.post('/app/admin/users', { email: 'invited@logs.test', displayName: 'Invited', roles: 'therapist' });
    const invite = linkTokenIn(mail, 'invited@logs.test');
    const newcomer = new IpAgent(app);
    await newcomer.request('GET', `/password/set/${invite}`);
    const chosen = 'the invited password 42';
    await newcomer.post('/password/set', { token: invite, password: chosen, repeat: chosen });
    await newcomer.login('invited@logs.test', chosen);

    const forgetful = new IpAgent(app);
    await forgetful.request('GET', '/password/forgot');
    await forgetful.post('/password/forgot', { email: 'staff@logs.test' });
    const reset = await waitForLinkToken(mail, 'staff@logs.test');
    await forgetful.request('GET', `/password/set/${reset}`);
    const fresh = 'a fresh reset password';
    await forgetful.post('/password/set', { token: reset, password: fresh, repeat: 'mismatch on purpose' }); // error path too
    await forgetful.post('/password/set', { token: reset, password: fresh, repeat: fresh });
    await forgetful.login('staff@logs.test', 'a wrong password here');
    await forgetful.login('staff@logs.test', fresh);
    await forgetful.request('GET', '/app/account/totp');
    await forgetful.post('/app/account/totp', { code: '000000' });
    await forgetful.request('GET', '/app/account');
    await forgetful.post('/app/account/password', {
      current: fresh,
      password: 'yet another password',
      repeat: 'yet another password',
    });

    for (const s of [chosen, fresh, 'a wrong password here', 'yet another password', invite, reset]) secrets.add(s);
    for (const agent of [admin, newcomer, forgetful])
      for (const value of Object.values(agent.cookies)) secrets.add(value);
    expect(lines.length).toBeGreaterThan(20); // the log did run
    const text = log();
    for (const secret of secrets)
      expect(text.includes(secret), `log contains a secret (${secret.slice(0, 6)}…)`).toBe(false);
    for (const secret of secrets) expect(text.includes(encodeURIComponent(secret))).toBe(false);
  });

  it('without SMTP, the password link is logged once, at warn, for the admin — the only place a token may appear', async () => {
    const original = app.mailer;
    app.mailer = new Mailer(null, 'x@y');
    try {
      const before = lines.length;
      const agent = new IpAgent(app);
      await agent.request('GET', '/password/forgot');
      await agent.post('/password/forgot', { email: 'admin@logs.test' });
      for (let i = 0; i < 250 && !lines.slice(before).some((l) => l.includes('/password/set/')); i++)
        await new Promise((r) => setTimeout(r, 20));
      const entries = lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string });
      const links = entries.filter((e) => /\/password\/set\/[A-Za-z0-9_-]{43}/.test(e.msg));
      expect(links).toHaveLength(1);
      expect(links[0].level).toBe(40);
    } finally {
      app.mailer = original;
    }
  });

  it('ASVS 7.1.3, 7.1.4, 7.2.1, 7.2.2: authentication and failed access decisions are in the audit trail with who, what, when and where', async () => {
    const agent = new IpAgent(app);
    await agent.login('staff@logs.test', 'wrong password again');
    await agent.login('admin@logs.test');
    await app.inject({ url: '/app/admin', cookies: agent.cookies }); // allowed
    const therapist = new IpAgent(app);
    await therapist.login('invited@logs.test', 'the invited password 42');
    await therapist.request('GET', '/app/admin/users', { accept: 'application/json' });
    const rows = await store.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_id', 'ip', 'at', 'details'])
      .orderBy('seq')
      .execute();
    const actions = rows.map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toContain('auth.login:denied');
    expect(actions).toContain('auth.login:ok');
    expect(actions).toContain('auth.password.set:ok');
    expect(actions).toContain('user.invite:ok');
    const denied = rows.find((r) => r.action === 'access.denied')!;
    expect(denied).toMatchObject({
      outcome: 'denied',
      ip: therapist.ip,
      details: { method: 'GET', route: '/app/admin/users' },
    });
    expect(denied.actor_id).toBeTruthy();
    expect(JSON.stringify(rows)).not.toContain('the invited password 42');
  });

  it('ASVS 7.3.1: input with line breaks cannot forge log lines (every line stays one JSON object)', async () => {
    const before = lines.length;
    await app.inject({ method: 'GET', url: '/no/such/page%0A%7B%22level%22:60,%22msg%22:%22forged%22%7D' });
    const agent = new IpAgent(app);
    await agent.login('staff@logs.test\n{"level":60,"msg":"forged"}', 'x\r\nforged');
    for (const line of lines.slice(before).join('').split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { level: number; msg?: string };
      expect(entry.msg).not.toBe('forged');
    }
  });

  it('ASVS 7.4.1: an unexpected error answers with a generic message and no stack trace', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: null } });
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from './testing.ts';

describeEachDialect('server foundation', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'acme');
    await createUser(t.app, org, 'therapist@acme.test', ['therapist']);
    await createUser(t.app, org, 'lock@acme.test', ['therapist']);
  });
  afterAll(() => t.close());

  it('answers health and readiness', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ok', database: dialect });
  });

  it('answers a browser with an error page in its language and an API client with JSON', async () => {
    const page = await t.app.inject({ url: '/app/nope', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="nl"');
    expect(page.body).toContain('Deze pagina bestaat niet.');
    const english = await t.app.inject({ url: '/app/nope?lang=en', headers: { accept: 'text/html' } });
    expect(english.body).toContain('This page does not exist.');
    const api = await t.app.inject({ url: '/app/nope', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const apiPath = await t.app.inject({ url: '/api/nope', headers: { accept: 'text/html' } });
    expect(apiPath.json().error.code).toBe('NOT_FOUND');
  });

  it('sends a strict CSP and security headers', async () => {
    const res = await t.app.inject('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // plain http: no HSTS
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await t.app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/readyz']).toBeDefined();
  });

  it('answers unknown routes and bad bodies with a registry error and no stack trace', async () => {
    const missing = await t.app.inject('/api/nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route for GET /api/nothing.', details: null },
    });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('renders the login page in Dutch and in English', async () => {
    const nl = await t.app.inject('/login');
    expect(nl.body).toContain('<html lang="nl">');
    expect(nl.body).toContain('Wachtwoord');
    const en = await t.app.inject('/login?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Password');
  });

  it('logs a staff member in and shows the shell', async () => {
    const agent = new Agent(t.app);
    const res = await agent.login('therapist@acme.test');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app');
    const shell = await agent.request('GET', '/app');
    expect(shell.statusCode).toBe(200);
    expect(shell.body).toContain('data-testid="staff-shell"');
    const cookie = res.cookies.find((c) => c.name === 'spiegel_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it('refuses a login without a CSRF token', async () => {
    const agent = new Agent(t.app);
    await agent.request('GET', '/login');
    const res = await agent.request('POST', '/login', { form: { email: 'therapist@acme.test', password: 'x' } });
    // A browser form: the error comes back as a page naming the code.
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('CSRF_INVALID');
  });

  it('redirects anonymous page requests to the login page and refuses API calls', async () => {
    const res = await t.app.inject({ url: '/app', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('locks an account after five failed logins', async () => {
    const agent = new Agent(t.app);
    for (let i = 0; i < 5; i++) expect((await agent.login('lock@acme.test', 'wrong password!')).statusCode).toBe(401);
    const locked = await agent.login('lock@acme.test');
    expect(locked.statusCode).toBe(401); // the same answer as a wrong password: no account enumeration
    expect(locked.body).toContain('geblokkeerd');
  });

  it('ends the session at logout', async () => {
    const agent = new Agent(t.app);
    await agent.login('therapist@acme.test');
    const token = await agent.csrf('/app');
    const out = await agent.request('POST', '/logout', { form: { _csrf: token } });
    expect(out.statusCode).toBe(303);
    const after = await agent.request('GET', '/app');
    expect(after.statusCode).toBe(303);
  });
});

describeEachDialect('route declarations', (dialect) => {
  it('every route declares its access', async () => {
    const t = await testApp(dialect);
    try {
      const undeclared = t.app.declaredRoutes.filter((r) => !r.access && !r.url.startsWith('/docs'));
      expect(undeclared).toEqual([]);
      expect(t.app.declaredRoutes.length).toBeGreaterThan(5);
    } finally {
      await t.close();
    }
  });
});

describeEachDialect('CSRF on a first visit', (dialect) => {
  it('keeps one secret per response even when a page asks for a token more than once', async () => {
    const t = await testApp(dialect);
    try {
      // A fresh browser without a CSRF secret opens a page whose form and layout both ask for a token.
      const fresh = new Agent(t.app);
      const page = await fresh.request('GET', '/password/forgot');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
      const res = await fresh.request('POST', '/password/forgot', {
        form: { email: 'nobody@example.org', _csrf: token },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

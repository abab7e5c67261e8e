import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { journalKeyAtLogin } from '../../store/journal-keys.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { audit } from '../../store/audit.ts';
import { html } from '../../web/html.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../pages.ts';
import { createSession, destroySession } from './sessions.ts';
import { verifyPassword } from '../../store/passwords.ts';
import { sessionCookieName, setSessionCookie } from './guard.ts';
import { checkTotp } from './totp.ts';
import { rememberLanguage, reserveAttempt } from '../../store/users.ts';
import { authTexts } from './texts.ts';
import { appKeyring } from '../keyring.ts';
import { openTotpSecret } from '../../store/totp-secrets.ts';
import { errorText } from '../../web/error-texts.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

interface Credentials {
  email: string;
  password: string;
  totp?: string;
}

function sendLoginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { status?: number; error: string | null; demo: boolean; notice?: string | null },
): FastifyReply {
  const lang = request.lang;
  const { error, demo, notice = null } = options;
  const csrfToken = reply.generateCsrf();
  return sendPage(request, reply, {
    title: t(lang, 'login.title'),
    path: '/login',
    status: options.status,
    body: html`<div class="card">
      <h1>${t(lang, 'login.title')}</h1>
      <p class="muted">${t(lang, 'app.tagline')}</p>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
      ${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : null}
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <label for="email">${t(lang, 'login.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          ${error ? html`aria-describedby="login-error"` : null}
        />
        <label for="password">${t(lang, 'login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <label for="totp">${t(lang, 'login.totp')}</label>
        <input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" />
        <p><button type="submit">${t(lang, 'login.submit')}</button></p>
      </form>
      <p><a href="/password/forgot">${authTexts(lang, 'forgot.link')}</a></p>
      ${demo ? html`<p class="notice">${t(lang, 'login.demo')}</p>` : null}
    </div>`,
  });
}

/** Checks credentials with lockout; returns the user or throws a registry error. Audits every attempt. */
export async function authenticate(app: FastifyInstance, request: FastifyRequest, creds: Credentials) {
  const { db } = app.ctx.store;
  const email = creds.email.trim().toLowerCase();
  const user = await db
    .selectFrom('users')
    .select([
      'id',
      'org_id',
      'roles',
      'password_hash',
      'totp_secret',
      'totp_key_id',
      'totp_enabled',
      'failed_logins',
      'locked_until',
      'active',
    ])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  const base = {
    orgId: user?.org_id ?? null,
    actorId: user?.id ?? null,
    actorRole: null,
    action: 'auth.login',
    ip: request.ip,
  };
  // The attempt is counted before it is evaluated (atomically), so concurrent guesses cannot slip past
  // the lockout. A locked account answers exactly like a wrong password: nothing reveals that it exists.
  const reserved = user ? await reserveAttempt(db, user.id, MAX_FAILED_LOGINS, LOCKOUT_MS) : true;
  if (!reserved) {
    await verifyPassword(null, creds.password); // same time as a real check
    await audit(db, { ...base, outcome: 'denied', details: { reason: 'locked' } });
    throw new SpiegelError('LOGIN_FAILED');
  }
  const ok = (await verifyPassword(user?.active ? user.password_hash : null, creds.password)) && user;
  if (!ok) {
    await audit(db, { ...base, outcome: 'denied', details: { reason: 'password' } });
    throw new SpiegelError('LOGIN_FAILED');
  }
  const secret = user.totp_enabled ? openTotpSecret(appKeyring(app), user) : null;
  if (secret) {
    // The code is asked in the same step as the password, and a missing, wrong or replayed code gets
    // the same answer as a wrong password, so the answer never reveals that the password was right. It
    // counts towards the lockout like a wrong password (ASVS 2.2.1): the attempt reserved above stays.
    if (!creds.totp || !(await checkTotp(db, user.id, secret, creds.totp))) {
      await audit(db, { ...base, outcome: 'denied', details: { reason: creds.totp ? 'totp' : 'totp_missing' } });
      throw new SpiegelError('LOGIN_FAILED');
    }
  }
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
  await audit(db, { ...base, actorRole: user.roles.join(','), outcome: 'ok' });
  return user;
}

export { setSessionCookie };

export function registerLoginRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { notice?: 'password-set' } }>(
    '/login',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { notice: { type: 'string', enum: ['password-set'] }, lang: { type: 'string' } },
        },
      },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      if (request.staff) return reply.redirect('/app');
      const notice = request.query.notice === 'password-set' ? authTexts(request.lang, 'password.setDone') : null;
      return sendLoginPage(request, reply, { error: null, demo: app.ctx.config.demoMode, notice });
    },
  );

  app.post<{ Body: Credentials }>(
    '/login',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: {
            email: { type: 'string', maxLength: 320 },
            password: { type: 'string', maxLength: 1024 },
            totp: { type: 'string', maxLength: 12 },
            _csrf: { type: 'string' },
          },
        },
      },
      config: {
        access: { kind: 'public' },
        rateLimit: { max: app.ctx.config.loginRatePerMinute, timeWindow: '1 minute' },
      },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      try {
        const user = await authenticate(app, request, request.body);
        if (request.staff) await destroySession(app.ctx.store.db, request.staff.sessionId); // rotate on login
        // The password unwraps the journal data key (decision 0035); the session keeps it sealed.
        const journalKey = await journalKeyAtLogin(
          app.ctx.store.db,
          appKeyring(app),
          { orgId: user.org_id, userId: user.id },
          request.body.password,
        );
        setSessionCookie(app, reply, await createSession(app.ctx.store.db, user, journalKey));
        await rememberLanguage(app.ctx.store.db, user.id, request.lang);
        return reply.redirect('/app', 303);
      } catch (error) {
        if (!(error instanceof SpiegelError)) throw error;
        const message = errorText(request.lang, error.code);
        return sendLoginPage(request, reply, { status: error.status, error: message, demo: app.ctx.config.demoMode });
      }
    },
  );

  app.post(
    '/logout',
    { schema: { hide: true }, config: { access: { kind: 'public' } }, preValidation: app.csrfProtection },
    async (request, reply) => {
      if (request.staff) {
        await destroySession(app.ctx.store.db, request.staff.sessionId);
        await audit(app.ctx.store.db, {
          orgId: request.staff.orgId,
          actorId: request.staff.userId,
          actorRole: null,
          action: 'auth.logout',
          ip: request.ip,
          outcome: 'ok',
        });
      }
      reply.clearCookie(sessionCookieName(app.ctx.config), { path: '/' });
      return reply.redirect('/login', 303);
    },
  );
}

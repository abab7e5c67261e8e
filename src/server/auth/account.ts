import type { FastifyInstance } from 'fastify';
import { rewrapForNewPassword } from '../../store/journal-keys.ts';
import { html, raw } from '../../web/html.ts';
import { appendAudit, audit } from '../../store/audit.ts';
import {
  changePassword,
  enableTotp,
  readCredentials,
  reserveAttempt,
  setPendingTotpSecret,
} from '../../store/users.ts';
import { ALL_ROLES } from '../access.ts';
import { rotateSession, TOTP_ENROLMENT_PATH } from './guard.ts';
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from './login.ts';
import { notify } from './mailer.ts';
import { sendPage } from '../pages.ts';
import { passwordPolicyProblem } from './password.ts';
import { hashPassword, verifyPassword } from '../../store/passwords.ts';
import { authTexts } from './texts.ts';
import { accountChangedMail } from './mails.ts';
import { checkTotp, groupSecret, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';
import { appKeyring } from '../keyring.ts';
import { openTotpSecret } from '../../store/totp-secrets.ts';

// The logged-in staff member's own account: password change (current password required) and TOTP
// enrolment. Both rotate the session; a password change also ends every other session.

const NOTICES = ['password', 'totp'] as const;
type Notice = (typeof NOTICES)[number];

export function registerAccountRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;
  const staffOnly = { access: { kind: 'staff' as const, roles: ALL_ROLES } };

  app.get<{ Querystring: { notice?: Notice } }>(
    '/app/account',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { notice: { type: 'string', enum: NOTICES }, lang: { type: 'string' } },
        },
      },
      config: staffOnly,
    },
    async (request, reply) => accountPage(request.query.notice ?? null, null, 200, request, reply),
  );

  async function accountPage(
    notice: Notice | null,
    error: string | null,
    status: number,
    request: Parameters<typeof sendPage>[0],
    reply: Parameters<typeof sendPage>[1],
  ) {
    const lang = request.lang;
    const user = await readCredentials(db(), request.staff!.userId);
    const body = html`<h1>${authTexts(lang, 'account.title')}</h1>
      ${notice ? html`<p class="notice" role="status">${authTexts(lang, notice === 'password' ? 'account.changed' : 'totp.done')}</p>` : null}
      <section class="card" aria-labelledby="totp-h">
        <h2 id="totp-h">${authTexts(lang, 'account.totpTitle')}</h2>
        <p>${authTexts(lang, user.totp_enabled ? 'account.totpOn' : 'account.totpOff')}</p>
        ${user.totp_enabled ? null : html`<p><a class="button" href="${TOTP_ENROLMENT_PATH}">${authTexts(lang, 'account.totpSetup')}</a></p>`}
      </section>
      <section class="card" aria-labelledby="pw-h">
        <h2 id="pw-h">${authTexts(lang, 'account.passwordTitle')}</h2>
        ${error ? html`<p class="error" role="alert" id="pw-error">${error}</p>` : null}
        <form method="post" action="/app/account/password">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          <input
            type="text"
            name="username"
            value="${user.email}"
            autocomplete="username"
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            readonly
          />
          <label for="current">${authTexts(lang, 'account.current')}</label>
          <input id="current" name="current" type="password" autocomplete="current-password" required />
          <label for="password">${authTexts(lang, 'password.new')}</label>
          <p class="muted" id="password-rules">${authTexts(lang, 'password.rules')}</p>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength="12"
            maxlength="128"
            aria-describedby="password-rules"
          />
          <label for="repeat">${authTexts(lang, 'password.repeat')}</label>
          <input
            id="repeat"
            name="repeat"
            type="password"
            autocomplete="new-password"
            required
            minlength="12"
            maxlength="128"
          />
          <p><button type="submit">${authTexts(lang, 'account.changeSubmit')}</button></p>
        </form>
      </section>`;
    return sendPage(request, reply, { status, title: authTexts(lang, 'account.title'), body, path: '/app/account' });
  }

  app.post<{ Body: { current: string; password: string; repeat: string } }>(
    '/app/account/password',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['current', 'password', 'repeat'],
          properties: {
            current: { type: 'string', maxLength: 1024 },
            password: { type: 'string', maxLength: 1024 },
            repeat: { type: 'string', maxLength: 1024 },
            username: { type: 'string', maxLength: 320 },
            _csrf: { type: 'string' },
          },
        },
      },
      config: { ...staffOnly, rateLimit: { max: 10, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const staff = request.staff!;
      const lang = request.lang;
      const base = {
        orgId: staff.orgId,
        actorId: staff.userId,
        actorRole: staff.roles.join(','),
        action: 'auth.password.change',
        subjectType: 'user',
        subjectId: staff.userId,
        ip: request.ip,
      };
      const user = await readCredentials(db(), staff.userId);
      // ASVS 2.1.6: the current password is required, and checking it counts towards the lockout like a
      // login (reserved atomically first): a locked account cannot guess here either.
      const reserved = await reserveAttempt(db(), staff.userId, MAX_FAILED_LOGINS, LOCKOUT_MS);
      if (!reserved || !(await verifyPassword(user.password_hash, request.body.current))) {
        await audit(db(), { ...base, outcome: 'denied', details: { reason: 'password' } });
        return accountPage(null, authTexts(lang, 'account.currentWrong'), 400, request, reply);
      }
      await db()
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', staff.userId)
        .execute();
      const problem = passwordPolicyProblem(lang, request.body.password, request.body.repeat);
      if (problem) return accountPage(null, problem, 400, request, reply);
      const hash = await hashPassword(request.body.password);
      await db()
        .transaction()
        .execute(async (trx) => {
          await changePassword(trx, staff.userId, hash, staff.sessionId);
          await rewrapForNewPassword(trx, staff.userId, request.body.current, request.body.password);
          await appendAudit(trx, { ...base, outcome: 'ok' });
        });
      await rotateSession(app, request, reply);
      // Sent while the staff member is at work in this request: their language is the request's.
      await notify(app.mailer, request.log, accountChangedMail(request.lang, 'password', user.email));
      return reply.redirect('/app/account?notice=password', 303);
    },
  );

  async function enrolmentPage(
    request: Parameters<typeof sendPage>[0],
    reply: Parameters<typeof sendPage>[1],
    secret: string,
    error: string | null,
  ) {
    const lang = request.lang;
    const staff = request.staff!;
    const svg = await totpQrSvg(totpUri(secret, staff.email));
    const body = html`<h1>${authTexts(lang, 'totp.title')}</h1>
      ${request.mustEnrolTotp ? html`<p class="notice" role="status">${authTexts(lang, 'totp.required')}</p>` : null}
      <div class="card">
        <p>${authTexts(lang, 'totp.step1')}</p>
        <div class="qr" role="img" aria-label="${authTexts(lang, 'totp.qrLabel')}">${raw(svg)}</div>
        <p>${authTexts(lang, 'totp.secret')}</p>
        <p><code class="secret" data-testid="totp-secret">${groupSecret(secret)}</code></p>
        ${error ? html`<p class="error" role="alert" id="totp-error">${error}</p>` : null}
        <form method="post" action="${TOTP_ENROLMENT_PATH}">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          <label for="code">${authTexts(lang, 'totp.code')}</label>
          <input
            id="code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxlength="6"
            required
            ${error ? html`aria-describedby="totp-error"` : null}
          />
          <p><button type="submit">${authTexts(lang, 'totp.confirm')}</button></p>
        </form>
      </div>`;
    return sendPage(request, reply, {
      status: error ? 400 : 200,
      title: authTexts(lang, 'totp.title'),
      body,
      path: TOTP_ENROLMENT_PATH,
    });
  }

  app.get(
    TOTP_ENROLMENT_PATH,
    { schema: { hide: true }, config: { ...staffOnly, duringTotpEnrolment: true } },
    async (request, reply) => {
      const user = await readCredentials(db(), request.staff!.userId);
      if (user.totp_enabled) return reply.redirect('/app/account', 303);
      const secret = newTotpSecret();
      await setPendingTotpSecret(db(), appKeyring(app), user, secret);
      return enrolmentPage(request, reply, secret, null);
    },
  );

  app.post<{ Body: { code: string } }>(
    TOTP_ENROLMENT_PATH,
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', maxLength: 16 }, _csrf: { type: 'string' } },
        },
      },
      config: { ...staffOnly, duringTotpEnrolment: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const staff = request.staff!;
      const user = await readCredentials(db(), staff.userId);
      if (user.totp_enabled) return reply.redirect('/app/account', 303);
      const secret = openTotpSecret(appKeyring(app), user);
      if (!secret) return reply.redirect(TOTP_ENROLMENT_PATH, 303);
      const base = {
        orgId: staff.orgId,
        actorId: staff.userId,
        actorRole: staff.roles.join(','),
        action: 'auth.totp.enrol',
        subjectType: 'user',
        subjectId: staff.userId,
        ip: request.ip,
      };
      if (!(await checkTotp(db(), user.id, secret, request.body.code))) {
        await audit(db(), { ...base, outcome: 'denied', details: { reason: 'totp' } });
        return enrolmentPage(request, reply, secret, authTexts(request.lang, 'totp.invalid'));
      }
      await db()
        .transaction()
        .execute(async (trx) => {
          await enableTotp(trx, user.id);
          await appendAudit(trx, { ...base, outcome: 'ok' });
        });
      request.mustEnrolTotp = false;
      await rotateSession(app, request, reply); // a new authentication factor: a new session (ASVS 3.2.1)
      await notify(app.mailer, request.log, accountChangedMail(request.lang, 'totp', user.email));
      return reply.redirect('/app/account?notice=totp', 303);
    },
  );
}

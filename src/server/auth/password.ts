import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../web/html.ts';
import { t, type Lang } from '../../web/i18n.ts';
import { audit, appendAudit } from '../../store/audit.ts';
import {
  findPasswordLink,
  findUserByEmail,
  issuePasswordToken,
  setPasswordWithLink,
  type PasswordLink,
} from '../../store/users.ts';
import { deliverLink, notify } from './mailer.ts';
import { hashPassword } from '../../store/passwords.ts';
import { sendPage } from '../pages.ts';
import { authTexts } from './texts.ts';
import { accountChangedMail, passwordLinkMail, type MailLang } from './mails.ts';

// Password links: "forgot password" for staff, and the page where an invited or resetting staff
// member sets a password. Tokens travel in the link path only; that route logs at warn level, so the
// request log never records the path, and only the token's hash is stored.

const TOKEN_SCHEMA = { type: 'string', minLength: 20, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } as const;

export function passwordLinkUrl(app: FastifyInstance, token: string): string {
  return `${app.ctx.config.publicUrl}/password/set/${token}`;
}

/** The policy message for a new password in the reader's language, or null when it is acceptable (ASVS 2.1.1, 2.1.2). */
export function passwordPolicyProblem(lang: Lang, password: string, repeat: string): string | null {
  if ([...password].length < 12) return authTexts(lang, 'password.tooShort');
  if ([...password].length > 128) return authTexts(lang, 'password.tooLong');
  if (password !== repeat) return authTexts(lang, 'password.mismatch');
  return null;
}

/**
 * Issues a link for `userId` and mails it (or logs it when there is no SMTP). Returns the link when it
 * was not mailed. `lang`: the recipient's language when the request is theirs (forgot password);
 * otherwise the language they last chose, or both languages for someone who never signed in.
 */
export async function sendPasswordLink(
  app: FastifyInstance,
  request: FastifyRequest,
  target: { orgId: string; userId: string; email: string; orgName: string; lang?: MailLang },
  purpose: 'invite' | 'reset',
  createdBy: string | null,
): Promise<string | null> {
  const db = app.ctx.store.db;
  const token = await issuePasswordToken(db, {
    orgId: target.orgId,
    userId: target.userId,
    purpose,
    createdBy,
  });
  const url = passwordLinkUrl(app, token);
  const lang =
    target.lang !== undefined
      ? target.lang
      : ((await db.selectFrom('users').select('lang').where('id', '=', target.userId).executeTakeFirst())?.lang ??
        null);
  const delivery = await deliverLink(
    app.mailer,
    request.log,
    passwordLinkMail(lang, purpose, target.email, target.orgName, url),
    { url, userId: target.userId, purpose },
  );
  return delivery === 'sent' ? null : url;
}

function setPasswordForm(lang: Lang, csrf: string, link: PasswordLink, token: string, error: string | null) {
  const invite = link.purpose === 'invite';
  return html`<div class="card">
    <h1>${authTexts(lang, invite ? 'password.inviteTitle' : 'password.resetTitle')}</h1>
    <p>${authTexts(lang, invite ? 'password.inviteIntro' : 'password.resetIntro', { email: link.email })}</p>
    ${error ? html`<p class="error" role="alert" id="password-error">${error}</p>` : null}
    <form method="post" action="/password/set">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="token" value="${token}" />
      <input
        type="text"
        name="username"
        value="${link.email}"
        autocomplete="username"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        readonly
      />
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
        aria-describedby="password-rules${error ? ' password-error' : ''}"
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
      <p><button type="submit">${authTexts(lang, 'password.submit')}</button></p>
    </form>
  </div>`;
}

export function registerPasswordRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;

  app.get(
    '/password/forgot',
    { schema: { hide: true }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      const lang = request.lang;
      const body = html`<div class="card">
        <h1>${authTexts(lang, 'forgot.title')}</h1>
        <p>${authTexts(lang, 'forgot.intro')}</p>
        <form method="post" action="/password/forgot">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          <label for="email">${t(lang, 'login.email')}</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxlength="320" />
          <p><button type="submit">${authTexts(lang, 'forgot.submit')}</button></p>
        </form>
      </div>`;
      return sendPage(request, reply, { title: authTexts(lang, 'forgot.title'), body, path: '/password/forgot' });
    },
  );

  app.post<{ Body: { email: string } }>(
    '/password/forgot',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string', minLength: 1, maxLength: 320 }, _csrf: { type: 'string' } },
        },
      },
      config: { access: { kind: 'public' }, rateLimit: { max: 5, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const lang = request.lang;
      const user = await findUserByEmail(db(), request.body.email);
      // The answer is the same, and as fast, whether or not the address has an account (no
      // enumeration): the work happens after the answer is on its way.
      const work = async () => {
        if (user?.active) {
          const org = await db()
            .selectFrom('organisations')
            .select('name')
            .where('id', '=', user.org_id)
            .executeTakeFirstOrThrow();
          await audit(db(), {
            orgId: user.org_id,
            actorId: user.id,
            actorRole: null,
            action: 'auth.password.reset_requested',
            subjectType: 'user',
            subjectId: user.id,
            ip: request.ip,
            outcome: 'ok',
          });
          await sendPasswordLink(
            app,
            request,
            // They asked for it on the page they read: its language is theirs.
            { orgId: user.org_id, userId: user.id, email: user.email, orgName: org.name, lang: request.lang },
            'reset',
            null,
          );
        } else {
          await audit(db(), {
            orgId: user?.org_id ?? null,
            actorId: user?.id ?? null,
            actorRole: null,
            action: 'auth.password.reset_requested',
            ip: request.ip,
            outcome: 'denied',
            details: { reason: user ? 'inactive' : 'unknown' },
          });
        }
      };
      void work().catch((error: unknown) => request.log.error({ err: error }, 'password reset request failed'));
      const body = html`<div class="card">
        <h1>${authTexts(lang, 'forgot.title')}</h1>
        <p role="status">${authTexts(lang, 'forgot.sent')}</p>
      </div>`;
      return sendPage(request, reply, { title: authTexts(lang, 'forgot.title'), body, path: '/password/forgot' });
    },
  );

  app.get<{ Params: { token: string } }>(
    '/password/set/:token',
    // warn: the incoming-request log line would otherwise carry the token in the URL.
    {
      logLevel: 'warn',
      schema: { hide: true, params: { type: 'object', required: ['token'], properties: { token: TOKEN_SCHEMA } } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      const lang = request.lang;
      const link = await findPasswordLink(db(), request.params.token);
      if (!link) {
        return sendPage(request, reply, {
          status: 400,
          title: authTexts(lang, 'password.resetTitle'),
          body: html`<div class="card">
            <p class="error" role="alert">${authTexts(lang, 'password.linkInvalid')}</p>
            <p><a href="/password/forgot">${authTexts(lang, 'forgot.link')}</a></p>
          </div>`,
          path: '/login',
        });
      }
      const form = setPasswordForm(lang, reply.generateCsrf(), link, request.params.token, null);
      return sendPage(request, reply, { title: authTexts(lang, 'password.resetTitle'), body: form, path: '/login' });
    },
  );

  app.post<{ Body: { token: string; password: string; repeat: string } }>(
    '/password/set',
    {
      logLevel: 'warn',
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['token', 'password', 'repeat'],
          properties: {
            token: TOKEN_SCHEMA,
            password: { type: 'string', maxLength: 1024 },
            repeat: { type: 'string', maxLength: 1024 },
            _csrf: { type: 'string' },
          },
        },
      },
      config: { access: { kind: 'public' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const lang = request.lang;
      const { token, password, repeat } = request.body;
      const link = await findPasswordLink(db(), token);
      const invalid = () =>
        sendPage(request, reply, {
          status: 400,
          title: authTexts(lang, 'password.resetTitle'),
          body: html`<div class="card">
            <p class="error" role="alert">${authTexts(lang, 'password.linkInvalid')}</p>
          </div>`,
          path: '/login',
        });
      if (!link) return invalid();
      const problem = passwordPolicyProblem(lang, password, repeat);
      if (problem) {
        return sendPage(request, reply, {
          status: 400,
          title: authTexts(lang, 'password.resetTitle'),
          body: setPasswordForm(lang, reply.generateCsrf(), link, token, problem),
          path: '/login',
        });
      }
      const hash = await hashPassword(password);
      const done = await db()
        .transaction()
        .execute(async (trx) => {
          const locked = await findPasswordLink(trx, token, new Date(), true);
          if (!locked) return false; // used by a concurrent request in the meantime
          await setPasswordWithLink(trx, locked, hash);
          await appendAudit(trx, {
            orgId: locked.orgId,
            actorId: locked.userId,
            actorRole: null,
            action: 'auth.password.set',
            subjectType: 'user',
            subjectId: locked.userId,
            ip: request.ip,
            outcome: 'ok',
            details: { purpose: locked.purpose },
          });
          return true;
        });
      if (!done) return invalid();
      if (link.purpose === 'reset')
        await notify(app.mailer, request.log, accountChangedMail(request.lang, 'password', link.email));
      return reply.redirect('/login?notice=password-set', 303);
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit, audit } from '../../store/audit.ts';
import type { Role } from '../../store/schema.ts';
import {
  createInvitedUser,
  destroyUserSessions,
  findOrgUser,
  findUserByEmail,
  listOrgUsers,
  resetTotp,
  updateUserAccess,
} from '../../store/users.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { t, type TextKey } from '../../web/i18n.ts';
import { ALL_ROLES } from '../access.ts';
import { isFormPost, sendPage } from '../pages.ts';
import { sendPasswordLink } from '../auth/password.ts';
import { adminTexts } from './texts.ts';

// User administration for the organisation's admin: invite staff, change roles and status, require
// a new TOTP set-up, send a password link. A change of roles or status ends the user's sessions, so
// new privileges take effect through a fresh login (ASVS 3.2.1 / 3.3.1).

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };
const ROLE_ENUM = { type: 'string', enum: ALL_ROLES } as const;
const ROLES_SCHEMA = { anyOf: [ROLE_ENUM, { type: 'array', items: ROLE_ENUM, minItems: 1, maxItems: 5 }] } as const;
export const USER_PARAMS = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', format: 'uuid' } },
} as const;

interface Notice {
  text: string;
  link?: string | null;
  error?: boolean;
}

function asRoles(value: Role | Role[]): Role[] {
  return [...new Set(Array.isArray(value) ? value : [value])];
}

function roleBoxes(lang: 'nl' | 'en', idPrefix: string, checked: Role[]): SafeHtml {
  return html`${ALL_ROLES.map(
    (role) =>
      html`<label class="inline"
        ><input
          type="checkbox"
          name="roles"
          value="${role}"
          id="${idPrefix}-${role}"
          ${checked.includes(role) ? html`checked` : null}
        />
        ${t(lang, `role.${role}` as TextKey)}</label
      >`,
  )}`;
}

async function usersPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  notice: Notice | null,
  status = 200,
) {
  const lang = request.lang;
  const staff = request.staff!;
  const users = await listOrgUsers(app.ctx.store.db, staff.orgId);
  const csrf = reply.generateCsrf();
  const a = (key: Parameters<typeof adminTexts>[1], params?: Record<string, string>) => adminTexts(lang, key, params);
  const body = html`<h1>${a('admin.users')}</h1>
    ${
      notice
        ? html`<div class="${notice.error ? 'error' : 'notice'}" role="${notice.error ? 'alert' : 'status'}">
            <p>${notice.text}</p>
            ${
              notice.link
                ? html`<p>${a('users.noMail')}</p>
                    <p><code class="secret">${notice.link}</code></p>`
                : null
            }
          </div>`
        : null
    }
    <table>
      <caption class="visually-hidden">
        ${a('admin.users')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${a('users.name')}</th>
          <th scope="col">${a('users.email')}</th>
          <th scope="col">${a('users.roles')}</th>
          <th scope="col">${a('users.status')}</th>
          <th scope="col">${a('users.totp')}</th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (u) =>
            html`<tr data-user="${u.id}">
              <td>${u.display_name}</td>
              <td>${u.email}</td>
              <td>${u.roles.map((r) => t(lang, `role.${r}` as TextKey)).join(', ')}</td>
              <td>${a(!u.active ? 'users.inactive' : u.has_password ? 'users.active' : 'users.invited')}</td>
              <td>${a(u.totp_enabled ? 'users.on' : 'users.off')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${users.map(
      (u) =>
        html`<details class="card">
          <summary>${a('users.edit', { name: u.display_name })}</summary>
          <form method="post" action="/app/admin/users/${u.id}">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <fieldset>
              <legend>${a('users.roles')}</legend>
              ${roleBoxes(lang, `u-${u.id}`, u.roles)}
            </fieldset>
            <label for="active-${u.id}">${a('users.status')}</label>
            <select id="active-${u.id}" name="active">
              <option value="true" ${u.active ? html`selected` : null}>${a('users.active')}</option>
              <option value="false" ${u.active ? null : html`selected`}>${a('users.inactive')}</option>
            </select>
            <p><button type="submit">${a('users.save')}</button></p>
          </form>
          <form method="post" action="/app/admin/users/${u.id}/password-link">
            <input type="hidden" name="_csrf" value="${csrf}" /><button type="submit" class="secondary">
              ${a('users.sendLink')}
            </button>
          </form>
          ${u.totp_enabled ? html`<form method="post" action="/app/admin/users/${u.id}/totp-reset"><input type="hidden" name="_csrf" value="${csrf}" /><button type="submit" class="secondary">${a('users.resetTotp')}</button></form>` : null}
        </details>`,
    )}
    <section class="card" aria-labelledby="invite-h">
      <h2 id="invite-h">${a('users.invite')}</h2>
      <form method="post" action="/app/admin/users">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="invite-email">${a('users.email')}</label>
        <input id="invite-email" name="email" type="email" required maxlength="320" autocomplete="off" />
        <label for="invite-name">${a('users.displayName')}</label>
        <input id="invite-name" name="displayName" type="text" required maxlength="120" autocomplete="off" />
        <fieldset>
          <legend>${a('users.roles')}</legend>
          ${roleBoxes(lang, 'invite', ['therapist'])}
        </fieldset>
        <p><button type="submit">${a('users.inviteSubmit')}</button></p>
      </form>
    </section>`;
  return sendPage(request, reply, { status, title: a('admin.users'), body, path: '/app/admin/users' });
}

/** Form posts get the page back with the message; API callers get the registry error. */
async function orPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<FastifyReply | Notice>,
) {
  try {
    const result = await work();
    if ('text' in result)
      return isFormPost(request)
        ? usersPage(app, request, reply, result)
        : reply.send({ ok: true, message: result.text, link: result.link ?? null });
    return result;
  } catch (error) {
    if (!(error instanceof SpiegelError) || !isFormPost(request)) throw error;
    return usersPage(app, request, reply, { text: error.message, error: true }, error.status);
  }
}

export function registerAdminUserRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;
  const auditBase = (request: FastifyRequest) => ({
    orgId: request.staff!.orgId,
    actorId: request.staff!.userId,
    actorRole: request.staff!.roles.join(','),
    ip: request.ip,
  });
  const orgName = async (orgId: string) =>
    (await db().selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()).name;

  app.get('/app/admin/users', { schema: { hide: true }, config: ADMIN }, async (request, reply) => {
    await audit(db(), { ...auditBase(request), action: 'user.list', subjectType: 'user', outcome: 'ok' });
    return usersPage(app, request, reply, null);
  });

  app.post<{ Body: { email: string; displayName: string; roles: Role | Role[] } }>(
    '/app/admin/users',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['email', 'displayName', 'roles'],
          properties: {
            email: { type: 'string', format: 'email', maxLength: 320 },
            displayName: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            roles: ROLES_SCHEMA,
            _csrf: { type: 'string' },
          },
        },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    (request, reply) =>
      orPage(app, request, reply, async () => {
        const staff = request.staff!;
        const { email, displayName } = request.body;
        const existing = await findUserByEmail(db(), email);
        if (existing?.org_id === staff.orgId) throw new SpiegelError('EMAIL_IN_USE');
        const roles = asRoles(request.body.roles);
        if (existing) {
          // The address has an account in another organisation: answer as an invitation does, so an admin
          // cannot find out which addresses have accounts elsewhere (no enumeration across organisations).
          await appendAudit(db(), {
            ...auditBase(request),
            action: 'user.invite',
            subjectType: 'user',
            subjectId: null,
            outcome: 'denied',
            details: { reason: 'email_elsewhere' },
          });
          return { text: adminTexts(request.lang, 'users.invitedDone'), link: null };
        }
        const userId = await db()
          .transaction()
          .execute(async (trx) => {
            const id = await createInvitedUser(trx, { orgId: staff.orgId, email, displayName, roles });
            await appendAudit(trx, {
              ...auditBase(request),
              action: 'user.invite',
              subjectType: 'user',
              subjectId: id,
              outcome: 'ok',
              details: { roles },
            });
            return id;
          });
        const link = await sendPasswordLink(
          app,
          request,
          // A new colleague has never chosen a language: the invitation is in both.
          { orgId: staff.orgId, userId, email, orgName: await orgName(staff.orgId), lang: null },
          'invite',
          staff.userId,
        );
        return { text: adminTexts(request.lang, 'users.invitedDone'), link };
      }),
  );

  app.post<{ Params: { userId: string }; Body: { roles: Role | Role[]; active: boolean | 'true' | 'false' } }>(
    '/app/admin/users/:userId',
    {
      schema: {
        hide: true,
        params: USER_PARAMS,
        body: {
          type: 'object',
          required: ['roles', 'active'],
          properties: {
            roles: ROLES_SCHEMA,
            active: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }] },
            _csrf: { type: 'string' },
          },
        },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    (request, reply) =>
      orPage(app, request, reply, async () => {
        const staff = request.staff!;
        const target = await findOrgUser(db(), staff.orgId, request.params.userId);
        if (!target) throw new SpiegelError('NOT_FOUND');
        const roles = asRoles(request.body.roles);
        const active = request.body.active === true || request.body.active === 'true';
        if (target.id === staff.userId && (!active || !roles.includes('admin'))) throw new SpiegelError('SELF_LOCKOUT');
        const changed =
          active !== target.active ||
          roles.length !== target.roles.length ||
          roles.some((r) => !target.roles.includes(r));
        if (changed) {
          await db()
            .transaction()
            .execute(async (trx) => {
              await updateUserAccess(trx, staff.orgId, target.id, { roles, active });
              const ended = await destroyUserSessions(trx, target.id);
              await appendAudit(trx, {
                ...auditBase(request),
                action: 'user.update',
                subjectType: 'user',
                subjectId: target.id,
                outcome: 'ok',
                details: {
                  roles: { from: target.roles, to: roles },
                  active: { from: target.active, to: active },
                  sessionsEnded: ended,
                },
              });
            });
        }
        return isFormPost(request)
          ? { text: adminTexts(request.lang, 'users.saved') }
          : reply.send({ ok: true, changed });
      }),
  );

  app.post<{ Params: { userId: string } }>(
    '/app/admin/users/:userId/totp-reset',
    { schema: { hide: true, params: USER_PARAMS }, config: ADMIN, preValidation: app.csrfProtection },
    (request, reply) =>
      orPage(app, request, reply, async () => {
        const staff = request.staff!;
        const target = await findOrgUser(db(), staff.orgId, request.params.userId);
        if (!target) throw new SpiegelError('NOT_FOUND');
        await db()
          .transaction()
          .execute(async (trx) => {
            await resetTotp(trx, staff.orgId, target.id);
            await destroyUserSessions(trx, target.id);
            await appendAudit(trx, {
              ...auditBase(request),
              action: 'user.totp_reset',
              subjectType: 'user',
              subjectId: target.id,
              outcome: 'ok',
            });
          });
        return { text: adminTexts(request.lang, 'users.totpReset') };
      }),
  );

  app.post<{ Params: { userId: string } }>(
    '/app/admin/users/:userId/password-link',
    {
      schema: { hide: true, params: USER_PARAMS },
      config: { ...ADMIN, rateLimit: { max: 20, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    (request, reply) =>
      orPage(app, request, reply, async () => {
        const staff = request.staff!;
        const target = await findOrgUser(db(), staff.orgId, request.params.userId);
        if (!target || !target.active) throw new SpiegelError('NOT_FOUND');
        const hasPassword = Boolean(
          (await db().selectFrom('users').select('password_hash').where('id', '=', target.id).executeTakeFirstOrThrow())
            .password_hash,
        );
        const purpose = hasPassword ? 'reset' : 'invite';
        await audit(db(), {
          ...auditBase(request),
          action: 'user.password_link',
          subjectType: 'user',
          subjectId: target.id,
          outcome: 'ok',
          details: { purpose },
        });
        const link = await sendPasswordLink(
          app,
          request,
          { orgId: staff.orgId, userId: target.id, email: target.email, orgName: await orgName(staff.orgId) },
          purpose,
          staff.userId,
        );
        return { text: adminTexts(request.lang, 'users.linkSent'), link };
      }),
  );
}

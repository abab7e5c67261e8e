import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Role } from '../../store/schema.ts';
import {
  AUDIT_RETENTION_DAYS,
  CLIENT_RETENTION_YEARS,
  mergeOrgSettings,
  readOrgSettings,
  securitySettings,
  type SecuritySettings,
} from '../../store/users.ts';
import { html } from '../../web/html.ts';
import { isFormPost, sendPage } from '../pages.ts';
import { adminTexts } from './texts.ts';

// The organisation's security settings: required TOTP and the two retention periods. Stored in
// organisations.settings next to keys other features own, which a save leaves untouched.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };

/** Form fields arrive as strings; an empty field means "not set". */
const optionalNumber = (range: { min: number; max: number }) => ({
  anyOf: [
    { type: 'integer', minimum: range.min, maximum: range.max },
    { type: 'null' },
    { type: 'string', maxLength: 6, pattern: '^(|[0-9]{1,6})$' },
  ],
});

interface SettingsBody {
  requireTotp: boolean | 'true' | 'false';
  auditRetentionDays: number | string | null;
  clientRetentionYears: number | string | null;
}

async function settingsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: SecuritySettings,
  notice: string | null,
) {
  const lang = request.lang;
  const a = (key: Parameters<typeof adminTexts>[1]) => adminTexts(lang, key);
  const body = html`<h1>${a('admin.settings')}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    <form method="post" action="/app/admin/settings" class="card">
      <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
      <label for="requireTotp">${a('settings.requireTotp')}</label>
      <select id="requireTotp" name="requireTotp">
        <option value="true" ${settings.requireTotp ? html`selected` : null}>${a('users.on')}</option>
        <option value="false" ${settings.requireTotp ? null : html`selected`}>${a('users.off')}</option>
      </select>
      <label for="auditRetentionDays">${a('settings.auditRetention')}</label>
      <p class="muted" id="audit-help">${a('settings.auditRetentionHelp')}</p>
      <input
        id="auditRetentionDays"
        name="auditRetentionDays"
        type="number"
        min="${AUDIT_RETENTION_DAYS.min}"
        max="${AUDIT_RETENTION_DAYS.max}"
        value="${settings.auditRetentionDays ?? ''}"
        aria-describedby="audit-help"
      />
      <label for="clientRetentionYears">${a('settings.clientRetention')}</label>
      <p class="muted" id="client-help">${a('settings.clientRetentionHelp')}</p>
      <input
        id="clientRetentionYears"
        name="clientRetentionYears"
        type="number"
        min="${CLIENT_RETENTION_YEARS.min}"
        max="${CLIENT_RETENTION_YEARS.max}"
        value="${settings.clientRetentionYears ?? ''}"
        aria-describedby="client-help"
      />
      <p><button type="submit">${a('users.save')}</button></p>
    </form>`;
  return sendPage(request, reply, { title: a('admin.settings'), body, path: '/app/admin/settings' });
}

function toNumber(value: number | string | null, range: { min: number; max: number }, field: string): number | null {
  if (value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new SpiegelError(
      'VALIDATION_FAILED',
      `body.${field} must be a whole number from ${range.min} to ${range.max}, or empty.`,
      { fields: [{ field: `body.${field}`, message: 'is out of range' }] },
    );
  }
  return n;
}

export function registerAdminSettingsRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;

  app.get('/app/admin/settings', { schema: { hide: true }, config: ADMIN }, async (request, reply) =>
    settingsPage(request, reply, securitySettings(await readOrgSettings(db(), request.staff!.orgId)), null),
  );

  app.post<{ Body: SettingsBody }>(
    '/app/admin/settings',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['requireTotp', 'auditRetentionDays', 'clientRetentionYears'],
          properties: {
            requireTotp: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }] },
            auditRetentionDays: optionalNumber(AUDIT_RETENTION_DAYS),
            clientRetentionYears: optionalNumber(CLIENT_RETENTION_YEARS),
            _csrf: { type: 'string' },
          },
        },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const staff = request.staff!;
      const next: SecuritySettings = {
        requireTotp: request.body.requireTotp === true || request.body.requireTotp === 'true',
        auditRetentionDays: toNumber(request.body.auditRetentionDays, AUDIT_RETENTION_DAYS, 'auditRetentionDays'),
        clientRetentionYears: toNumber(
          request.body.clientRetentionYears,
          CLIENT_RETENTION_YEARS,
          'clientRetentionYears',
        ),
      };
      await db()
        .transaction()
        .execute(async (trx) => {
          const before = securitySettings(await readOrgSettings(trx, staff.orgId));
          await mergeOrgSettings(trx, staff.orgId, { ...next });
          await appendAudit(trx, {
            orgId: staff.orgId,
            actorId: staff.userId,
            actorRole: staff.roles.join(','),
            action: 'org.settings.update',
            subjectType: 'organisation',
            subjectId: staff.orgId,
            ip: request.ip,
            outcome: 'ok',
            details: { from: before, to: next },
          });
        });
      if (!isFormPost(request)) return reply.send({ ok: true, settings: next });
      return settingsPage(request, reply, next, adminTexts(request.lang, 'settings.saved'));
    },
  );
}

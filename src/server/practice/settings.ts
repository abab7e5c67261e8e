import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../store/audit.ts';
import { MESSAGING_KEY, messagingSettings, type MessagingSettings } from '../../store/sends.ts';
import { mergeOrgSettings, readOrgSettings } from '../../store/users.ts';
import { html } from '../../web/html.ts';
import { sendPage } from '../pages.ts';
import { pxText, type PxKey } from './texts.ts';

// Invitation and reminder times per organisation, in their own settings key (`invitationMessages`),
// on their own page, so the general organisation settings can change without touching them.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as const] } };

function page(request: FastifyRequest, reply: FastifyReply, s: MessagingSettings, saved: boolean) {
  const t = (k: PxKey) => pxText(request.lang, k);
  const check = (name: keyof MessagingSettings) =>
    html`<p class="option">
      <input type="checkbox" id="${name}" name="${name}" value="yes" ${s[name] ? html`checked` : null} /><label
        for="${name}"
        >${t(`messaging.${name}` as PxKey)}</label
      >
    </p>`;
  return sendPage(request, reply, {
    title: t('messaging.title'),
    path: '/app/admin/messaging',
    body: html`<h1>${t('messaging.title')}</h1>
      ${saved ? html`<p class="notice" role="status">${t('messaging.saved')}</p>` : null}
      <form method="post" action="/app/admin/messaging" class="card">
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        ${check('scheduled')}
        <label for="hoursBefore">${t('messaging.hoursBefore')}</label>
        <input id="hoursBefore" name="hoursBefore" type="number" min="1" max="336" required value="${s.hoursBefore}" />
        <label for="reminderAfterHours">${t('messaging.reminderAfterHours')}</label>
        <input
          id="reminderAfterHours"
          name="reminderAfterHours"
          type="number"
          min="0"
          max="168"
          required
          value="${s.reminderAfterHours}"
        />
        ${check('riskEmail')} ${check('sms')}
        <p><button type="submit">${t('clients.save')}</button></p>
      </form>`,
  });
}

export function registerMessagingSettings(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  app.get<{ Querystring: { saved?: string } }>(
    '/app/admin/messaging',
    {
      config: ADMIN,
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { saved: { type: 'string', maxLength: 1 }, lang: { type: 'string' } },
        },
      },
    },
    async (request, reply) =>
      page(
        request,
        reply,
        messagingSettings(await readOrgSettings(db, request.staff!.orgId)),
        request.query.saved === '1',
      ),
  );
  app.post<{ Body: Record<string, string> }>(
    '/app/admin/messaging',
    {
      config: ADMIN,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['hoursBefore', 'reminderAfterHours'],
          properties: {
            hoursBefore: { type: 'string', pattern: '^[0-9]{1,3}$' },
            reminderAfterHours: { type: 'string', pattern: '^[0-9]{1,3}$' },
            scheduled: { type: 'string', maxLength: 3 },
            riskEmail: { type: 'string', maxLength: 3 },
            sms: { type: 'string', maxLength: 3 },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const next: MessagingSettings = {
        scheduled: b.scheduled === 'yes',
        hoursBefore: Math.min(336, Math.max(1, Number(b.hoursBefore))),
        reminderAfterHours: Math.min(168, Math.max(0, Number(b.reminderAfterHours))),
        riskEmail: b.riskEmail === 'yes',
        sms: b.sms === 'yes',
      };
      const staff = request.staff!;
      await db.transaction().execute(async (trx) => {
        await mergeOrgSettings(trx, staff.orgId, { [MESSAGING_KEY]: next });
        await appendAudit(trx, {
          orgId: staff.orgId,
          actorId: staff.userId,
          actorRole: staff.roles.join(','),
          ip: request.ip,
          action: 'settings.messaging',
          outcome: 'ok',
          details: { ...next },
        });
      });
      return reply.redirect('/app/admin/messaging?saved=1', 303);
    },
  );
}

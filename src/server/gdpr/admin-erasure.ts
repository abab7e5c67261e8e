import type { FastifyInstance } from 'fastify';
import { audit } from '../../store/audit.ts';
import { findClientByCode } from '../../store/gdpr.ts';
import type { Role } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import { adminTexts } from '../admin/texts.ts';
import { sendPage } from '../pages.ts';

// The admin's way into erasure: find a client by pseudonymous code, see only counts (no clinical
// content), and confirm by typing the code again. The form posts to the shared erasure route.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };

export function registerAdminErasurePage(app: FastifyInstance): void {
  app.get<{ Querystring: { code?: string } }>(
    '/app/admin/erasure',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { code: { type: 'string', maxLength: 200 }, lang: { type: 'string' } },
        },
      },
      config: ADMIN,
    },
    async (request, reply) => {
      const staff = request.staff!;
      const lang = request.lang;
      const a = (key: Parameters<typeof adminTexts>[1], params?: Record<string, string | number>) =>
        adminTexts(lang, key, params);
      const code = request.query.code?.trim() ?? '';
      const found = code ? await findClientByCode(app.ctx.store.db, staff.orgId, code) : null;
      if (code)
        await audit(app.ctx.store.db, {
          orgId: staff.orgId,
          actorId: staff.userId,
          actorRole: staff.roles.join(','),
          action: 'gdpr.lookup',
          subjectType: 'client',
          subjectId: found?.id ?? null,
          ip: request.ip,
          outcome: found ? 'ok' : 'failed',
        });
      const csrf = reply.generateCsrf();
      const body = html`<h1>${a('admin.erasure')}</h1>
        <p>${a('erasure.intro')}</p>
        <form method="get" action="/app/admin/erasure" class="card">
          <label for="code">${a('erasure.code')}</label>
          <input id="code" name="code" type="text" required maxlength="200" value="${code}" autocomplete="off" />
          <p><button type="submit">${a('erasure.find')}</button></p>
        </form>
        ${code && !found ? html`<p class="error" role="alert">${a('erasure.notFound')}</p>` : null}
        ${
          found
            ? html`<div class="card">
                <p>${a('erasure.found', { code: found.code, episodes: found.episodes, responses: found.responses })}</p>
                <form method="post" action="/api/gdpr/clients/${found.id}/erase">
                  <input type="hidden" name="_csrf" value="${csrf}" />
                  <label for="confirmCode">${a('erasure.confirm')}</label>
                  <input id="confirmCode" name="confirmCode" type="text" required maxlength="200" autocomplete="off" />
                  <p><button type="submit" class="danger">${a('erasure.submit')}</button></p>
                </form>
              </div>`
            : null
        }`;
      return sendPage(request, reply, { title: a('admin.erasure'), body, path: '/app/admin/erasure' });
    },
  );
}

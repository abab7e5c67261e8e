import type { FastifyInstance } from 'fastify';
import type { Role } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import { registerAuditViewer } from '../audit/viewer.ts';
import { sendPage } from '../pages.ts';
import { registerAdminSettingsRoutes } from './settings.ts';
import { adminTexts } from './texts.ts';
import { registerAdminUserRoutes } from './users.ts';
import { registerOrgSettingsRoutes } from './org-settings.ts';
import { registerTeamRoutes } from './teams.ts';
import { orgText } from './org-texts.ts';

/** The administration area: index, users, security settings and the audit trail. */
export function registerAdmin(app: FastifyInstance): void {
  app.get(
    '/app/admin',
    { schema: { hide: true }, config: { access: { kind: 'staff', roles: ['admin' as Role] } } },
    async (request, reply) => {
      const a = (key: Parameters<typeof adminTexts>[1]) => adminTexts(request.lang, key);
      const links: Array<[string, string]> = [
        ['/app/admin/users', a('admin.users')],
        ['/app/admin/settings', a('admin.settings')],
        ['/app/admin/organisation', orgText(request.lang, 'link.org')],
        ['/app/admin/teams', orgText(request.lang, 'link.teams')],
        [
          '/app/admin/messaging',
          request.lang === 'nl' ? 'Uitnodigingen en herinneringen' : 'Invitations and reminders',
        ],
        ['/app/admin/audit', a('admin.audit')],
        ['/app/admin/erasure', a('admin.erasure')],
        ['/app/admin/instruments', request.lang === 'nl' ? 'Instrumenten en licenties' : 'Instruments and licences'],
      ];
      const body = html`<h1>${a('admin.title')}</h1>
        <p>${a('admin.intro')}</p>
        <ul class="card link-list">
          ${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
        </ul>`;
      return sendPage(request, reply, { title: a('admin.title'), body, path: '/app/admin' });
    },
  );
  registerAdminUserRoutes(app);
  registerAdminSettingsRoutes(app);
  registerOrgSettingsRoutes(app);
  registerTeamRoutes(app);
  registerAuditViewer(app);
}

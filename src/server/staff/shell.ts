import type { FastifyInstance } from 'fastify';
import { html } from '../../web/html.ts';
import { t, type TextKey } from '../../web/i18n.ts';
import { sendPage } from '../pages.ts';
import { ALL_ROLES } from '../access.ts';
import { homeSections } from '../practice/home.ts';

/** The staff shell: the landing page after login, with navigation by role. */
export function registerStaffShell(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true }, config: { access: { kind: 'public' } } }, async (request, reply) =>
    reply.redirect(request.staff ? '/app' : '/login'),
  );

  app.get(
    '/app',
    { schema: { hide: true }, config: { access: { kind: 'staff', roles: ALL_ROLES } } },
    async (request, reply) => {
      const staff = request.staff!;
      const lang = request.lang;
      const roles = staff.roles.map((role) => t(lang, `role.${role}` as TextKey)).join(', ');
      const body = html`<h1>${t(lang, 'shell.welcome', { name: staff.displayName })}</h1>
        <p class="muted" data-testid="staff-shell">${t(lang, 'shell.roles', { roles })}</p>
        ${await homeSections(app, request)}`;
      return sendPage(request, reply, { title: 'Spiegel', body, path: '/app' });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { html } from '../../web/html.ts';
import { sendPage } from '../pages.ts';
import { instrumentCatalogue, setInstrumentEnabled } from '../../store/org-instruments-admin.ts';
import { instrumentsFor } from '../org-instrument-registry.ts';
import { instrumentText as text } from './texts.ts';
import { registerInstrumentImport } from './import-routes.ts';

/** Admin: enable instruments per organisation, acknowledging restricted licences first; import own ones. */
export function registerInstrumentAdmin(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const access = { access: { kind: 'staff' as const, roles: ['admin' as const] } };
  registerInstrumentImport(app);

  app.get<{ Querystring: { stored?: string; unchanged?: string; version?: string } }>(
    '/app/admin/instruments',
    {
      config: access,
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            stored: { type: 'string', maxLength: 80 },
            unchanged: { type: 'string', maxLength: 80 },
            version: { type: 'string', pattern: '^[0-9]{1,6}$' },
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const orgId = request.staff!.orgId;
      const registry = await instrumentsFor(app.ctx, orgId);
      const rows = await instrumentCatalogue(db, registry, orgId);
      const csrf = reply.generateCsrf();
      const { stored, unchanged, version } = request.query;
      const notice = stored
        ? text(lang, 'stored', { id: stored, version: version ?? '' })
        : unchanged
          ? text(lang, 'unchanged', { id: unchanged, version: version ?? '' })
          : null;
      const body = html`<h1>${text(lang, 'title')}</h1>
        ${notice ? html`<p role="status" data-testid="import-done">${notice}</p>` : null}
        <p>${text(lang, 'intro')}</p>
        <p><a href="/app/admin/instruments/import" data-testid="import-link">${text(lang, 'importLink')}</a></p>
        <table data-testid="instrument-catalogue">
          <thead>
            <tr>
              <th scope="col">${text(lang, 'instrument')}</th>
              <th scope="col">${text(lang, 'languages')}</th>
              <th scope="col">${text(lang, 'licence')}</th>
              <th scope="col">${text(lang, 'status')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(({ entry, enabled }) => {
              const title = entry.title[lang];
              const orgVersion = registry.version(entry.id);
              return html`<tr data-instrument="${entry.id}">
                <td>
                  <strong ${title.lang !== lang ? html`lang="${title.lang}"` : null}>${title.text}</strong>
                  <br /><span class="muted"
                    >${orgVersion === null ? text(lang, 'shippedText') : text(lang, 'version', { version: orgVersion })}</span
                  >
                  ${entry.projectAuthored ? html`<br /><span class="muted">${text(lang, 'notValidated')}</span>` : null}
                  ${entry.copyright ? html`<br /><span class="muted" lang="en">${entry.copyright}</span>` : null}
                </td>
                <td>
                  ${entry.languages.map(
                    (l) =>
                      html`${l.lang === 'nl' || l.lang === 'en' ? text(lang, `lang.${l.lang}`) : l.lang}
                        (${text(lang, `translation.${l.status}`)})<br />`,
                  )}
                </td>
                <td>
                  <span lang="en">${entry.licence?.licence ?? '–'}</span>
                  ${entry.restrictions.length
                    ? html`<br /><span class="muted"
                          >${entry.restrictions.map((r) => text(lang, `restriction.${r}`)).join('; ')}</span
                        >`
                    : null}
                </td>
                <td>
                  ${enabled ? text(lang, 'on') : text(lang, 'off')}
                  <form method="post" action="/app/admin/instruments/${entry.id}">
                    <input type="hidden" name="_csrf" value="${csrf}" /><input
                      type="hidden"
                      name="enabled"
                      value="${enabled ? 'false' : 'true'}"
                    />
                    ${!enabled && entry.licence?.requiresAcknowledgement
                      ? html`<label class="check"
                          ><input type="checkbox" name="acknowledge" value="true" required />
                          ${text(lang, 'acknowledge')} <span lang="en">${entry.licence.licence}</span></label
                        >`
                      : null}
                    <button type="submit" class="secondary">${enabled ? text(lang, 'disable') : text(lang, 'enable')}</button>
                  </form>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>`;
      return sendPage(request, reply, { title: text(lang, 'title'), body, path: '/app/admin/instruments' });
    },
  );

  app.post<{ Params: { instrumentId: string }; Body: { enabled: 'true' | 'false'; acknowledge?: 'true' } }>(
    '/app/admin/instruments/:instrumentId',
    {
      config: access,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: { type: 'object', properties: { instrumentId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,80}$' } } },
        body: {
          type: 'object',
          required: ['enabled'],
          properties: {
            enabled: { type: 'string', enum: ['true', 'false'] },
            acknowledge: { type: 'string', enum: ['true'] },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const registry = await instrumentsFor(app.ctx, request.staff!.orgId);
      await setInstrumentEnabled(
        db,
        registry,
        { staff: request.staff!, ip: request.ip },
        request.params.instrumentId,
        request.body.enabled === 'true',
        request.body.acknowledge === 'true',
      );
      return reply.redirect('/app/admin/instruments', 303);
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSpiegelError } from '../../domain/errors.ts';
import { createClient, listClients, updateClient, type Actor } from '../../store/clients.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { sendPage } from '../pages.ts';
import { dateText } from '../feedback/caseload-page.ts';
import { fbText } from '../feedback/texts.ts';
import { pxText, type PxKey } from './texts.ts';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;
const uuid = { type: 'string', format: 'uuid' } as const;
const therapist = { access: { kind: 'staff' as const, roles: ['therapist' as const] } };
const ownClient = { access: { kind: 'own' as const, roles: ['therapist' as const], resource: 'client' } };
const clientBody = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 40 },
    alias: { type: 'string', maxLength: 80 },
    _csrf: { type: 'string' },
  },
} as const;

export function actorOf(request: FastifyRequest): Actor {
  return { staff: request.staff!, ip: request.ip };
}

/** The error summary at the top of a form that came back. */
export function errorSummary(lang: Lang, errors: string[]): SafeHtml | null {
  if (errors.length === 0) return null;
  return html`<div class="error" role="alert" id="form-errors">
    <p>${pxText(lang, 'form.errors')}</p>
    <ul>
      ${errors.map((e) => html`<li>${e}</li>`)}
    </ul>
  </div>`;
}

function clientForm(
  lang: Lang,
  csrf: string,
  action: string,
  values: { code: string; alias: string },
  errors: string[],
  cancel: string,
): SafeHtml {
  const t = (k: PxKey) => pxText(lang, k);
  return html`${errorSummary(lang, errors)}
    <form method="post" action="${action}" class="card">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="code">${t('clients.code')}</label>
      <input
        id="code"
        name="code"
        type="text"
        required
        maxlength="32"
        autocomplete="off"
        value="${values.code}"
        aria-describedby="code-hint"
      />
      <p class="hint" id="code-hint">${t('clients.codeHint')}</p>
      <label for="alias">${t('clients.alias')}</label>
      <input
        id="alias"
        name="alias"
        type="text"
        maxlength="80"
        autocomplete="off"
        value="${values.alias}"
        aria-describedby="alias-hint"
      />
      <p class="hint" id="alias-hint">${t('clients.aliasHint')}</p>
      <p><button type="submit">${t('clients.save')}</button> <a href="${cancel}">${t('form.cancel')}</a></p>
    </form>`;
}

function clientErrors(lang: Lang, error: unknown): string[] {
  if (isSpiegelError(error) && /already in use/.test(error.message)) return [pxText(lang, 'clients.codeInUse')];
  throw error;
}

/** Clients: list and search (code or alias), create, edit. Forms work without JavaScript (POST-redirect-GET). */
export function registerClientPages(app: FastifyInstance): void {
  const { db } = app.ctx.store;

  app.get<{ Querystring: { q?: string } }>(
    '/app/clients',
    {
      config: therapist,
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 80 }, lang: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const t = (k: PxKey) => pxText(lang, k);
      const q = request.query.q ?? '';
      const clients = await listClients(db, actorOf(request), q);
      const body = html`<h1>${t('clients.title')}</h1>
        <p><a class="button" href="/app/clients/new">${t('clients.new')}</a></p>
        <form method="get" action="/app/clients" role="search" class="card filters">
          <label for="q">${t('clients.search')}</label>
          <input id="q" name="q" type="search" value="${q}" />
          <p><button type="submit">${t('clients.searchButton')}</button></p>
        </form>
        ${
          clients.length === 0
            ? html`<p>${t('clients.empty')}</p>`
            : html`<table data-testid="clients">
                <caption class="visually-hidden">
                  ${t('clients.title')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('clients.code')}</th>
                    <th scope="col">${t('clients.episodes')}</th>
                    <th scope="col"><span class="visually-hidden">${t('clients.edit')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${clients.map(
                    (c) =>
                      html`<tr>
                        <td>${c.code}${c.alias ? html` <span class="muted">(${c.alias})</span>` : null}</td>
                        <td>
                          <ul class="plain">
                            ${c.episodes.map(
                              (e) =>
                                html`<li>
                                  <a href="/app/episodes/${e.id}"
                                    >${fbText(lang, `modality.${e.modality}`)}, ${dateText(lang, e.started_on)}</a
                                  >${e.status === 'active' ? null : html` <span class="muted">(${e.status === 'completed' ? t('status.completed') : t('status.dropped')})</span>`}
                                </li>`,
                            )}
                          </ul>
                          <a href="/app/clients/${c.id}/episodes/new">${t('clients.newEpisode')}</a>
                        </td>
                        <td>
                          <a href="/app/clients/${c.id}/edit" aria-label="${t('clients.edit')} ${c.code}"
                            >${t('clients.edit')}</a
                          >
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }`;
      return sendPage(request, reply, { title: t('clients.title'), body, path: '/app/clients' });
    },
  );

  const renderNew = (
    request: FastifyRequest,
    reply: FastifyReply,
    values = { code: '', alias: '' },
    errors: string[] = [],
  ) =>
    sendPage(request, reply, {
      title: pxText(request.lang, 'clients.new'),
      body: html`<h1>${pxText(request.lang, 'clients.new')}</h1>
        ${clientForm(request.lang, reply.generateCsrf(), '/app/clients', values, errors, '/app/clients')}`,
      path: '/app/clients/new',
      status: errors.length ? 400 : 200,
    });

  app.get('/app/clients/new', { config: therapist, schema: { hide: true } }, (request, reply) =>
    renderNew(request, reply),
  );

  app.post<{ Body: { code?: string; alias?: string } }>(
    '/app/clients',
    { config: therapist, preValidation: app.csrfProtection, schema: { hide: true, body: clientBody } },
    async (request, reply) => {
      const values = { code: (request.body.code ?? '').trim(), alias: (request.body.alias ?? '').trim() };
      if (!CODE.test(values.code))
        return renderNew(request, reply, values, [pxText(request.lang, 'clients.codeInvalid')]);
      try {
        const client = await createClient(db, actorOf(request), { code: values.code, alias: values.alias || null });
        return reply.redirect(`/app/clients/${client.id}/episodes/new`, 303);
      } catch (error) {
        return renderNew(request, reply, values, clientErrors(request.lang, error));
      }
    },
  );

  const findOwn = async (request: FastifyRequest, clientId: string) => {
    const own = await db
      .selectFrom('clients')
      .select(['id', 'code', 'alias'])
      .where('id', '=', clientId)
      .where('org_id', '=', request.staff!.orgId)
      .where('therapist_id', '=', request.staff!.userId)
      .executeTakeFirst();
    return own ?? null;
  };
  const renderEdit = (
    request: FastifyRequest,
    reply: FastifyReply,
    clientId: string,
    values: { code: string; alias: string },
    errors: string[] = [],
  ) =>
    sendPage(request, reply, {
      title: pxText(request.lang, 'clients.edit'),
      body: html`<h1>${pxText(request.lang, 'clients.edit')}</h1>
        ${clientForm(request.lang, reply.generateCsrf(), `/app/clients/${clientId}`, values, errors, '/app/clients')}`,
      path: `/app/clients/${clientId}/edit`,
      status: errors.length ? 400 : 200,
    });

  app.get<{ Params: { clientId: string } }>(
    '/app/clients/:clientId/edit',
    { config: ownClient, schema: { hide: true, params: { type: 'object', properties: { clientId: uuid } } } },
    async (request, reply) => {
      const client = await findOwn(request, request.params.clientId);
      if (!client) return reply.callNotFound();
      return renderEdit(request, reply, client.id, { code: client.code, alias: client.alias ?? '' });
    },
  );

  app.post<{ Params: { clientId: string }; Body: { code?: string; alias?: string } }>(
    '/app/clients/:clientId',
    {
      config: ownClient,
      preValidation: app.csrfProtection,
      schema: { hide: true, params: { type: 'object', properties: { clientId: uuid } }, body: clientBody },
    },
    async (request, reply) => {
      const values = { code: (request.body.code ?? '').trim(), alias: (request.body.alias ?? '').trim() };
      const id = request.params.clientId;
      if (!(await findOwn(request, id))) return reply.callNotFound();
      if (!CODE.test(values.code))
        return renderEdit(request, reply, id, values, [pxText(request.lang, 'clients.codeInvalid')]);
      try {
        await updateClient(db, actorOf(request), id, { code: values.code, alias: values.alias || null });
      } catch (error) {
        return renderEdit(request, reply, id, values, clientErrors(request.lang, error));
      }
      return reply.redirect(`/app/clients?q=${encodeURIComponent(values.code)}`, 303);
    },
  );
}

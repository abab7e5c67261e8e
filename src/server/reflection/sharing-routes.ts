import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { formatDate } from '../../domain/reflection/format.ts';
import { addComment, isItemType, revokeShare, createShare, type SharedItem } from '../../store/reflection-shares.ts';
import { readShared, sharedWithMe } from '../../store/reflection-shared-view.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import type { Access } from '../access.ts';
import { actorOf, genderOf, type ReflectionContext } from './context.ts';
import { entryHtml } from './journal-pages.ts';
import { reflectionLayout } from './page.ts';
import { sendPage } from '../pages.ts';
import { goalSummary } from './practice-pages.ts';
import { sharedReport } from './report-data.ts';
import { reportHtml } from './report-html.ts';
import { csrfOnly, idParams, langQuery } from './schemas.ts';
import { commentForm, commentsHtml, safeReturn } from './sharing-html.ts';
import { jt } from './texts-more.ts';

/**
 * Sharing: the owner shares one item with one supervisor and can revoke it; the supervisor sees only
 * the items shared with them and can comment; the owner can reply on the thread.
 */

export const OWN_SHARE: Access = { kind: 'own', roles: ['therapist'], resource: 'reflection-share' };
export const SHARED_ITEM: Access = { kind: 'shared', roles: ['supervisor'], resource: 'reflection-share' };

const shareBody = {
  type: 'object',
  required: ['itemType', 'itemId', 'supervisorId'],
  properties: {
    itemType: { type: 'string', enum: ['self_check', 'journal_entry', 'practice_goal'] },
    itemId: { type: 'string', maxLength: 64 },
    supervisorId: { type: 'string', maxLength: 64 },
    returnTo: { type: 'string', maxLength: 200 },
    _csrf: { type: 'string', maxLength: 200 },
  },
} as const;
const commentBody = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', maxLength: 8000 },
    returnTo: { type: 'string', maxLength: 200 },
    _csrf: { type: 'string', maxLength: 200 },
  },
} as const;

function itemPath(type: SharedItem['type'], id: string): string {
  return type === 'self_check'
    ? `/app/self-check/${id}`
    : type === 'journal_entry'
      ? `/app/journal/${id}`
      : `/app/practice/goals/${id}`;
}

function itemTitle(item: SharedItem, lang: Lang): string {
  if (item.type === 'journal_entry') return item.content.title;
  if (item.type === 'practice_goal') return item.content.title;
  return formatDate(item.completedAt ?? item.startedAt, lang);
}

export function registerSharingRoutes(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;

  app.post<{ Body: { itemType: string; itemId: string; supervisorId: string; returnTo?: string } }>(
    '/app/reflection/shares',
    { schema: { hide: true, body: shareBody }, config: { access: OWN_SHARE }, preValidation: app.csrfProtection },
    async (request, reply) => {
      const { itemType, itemId, supervisorId } = request.body;
      if (!isItemType(itemType))
        throw new SpiegelError('VALIDATION_FAILED', 'Unknown item type.', { field: 'itemType' });
      await createShare(db, ctx.keys(request), actorOf(request), itemType, itemId, supervisorId);
      return reply.redirect(safeReturn(request.body.returnTo, itemPath(itemType, itemId)), 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { returnTo?: string } }>(
    '/app/reflection/shares/:id/revoke',
    {
      schema: { hide: true, params: idParams, body: csrfOnly },
      config: { access: OWN_SHARE },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      await revokeShare(db, actorOf(request), request.params.id);
      return reply.redirect(safeReturn(request.body?.returnTo, '/app/journal'), 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { text: string; returnTo?: string } }>(
    '/app/reflection/shares/:id/comments',
    {
      schema: { hide: true, params: idParams, body: commentBody },
      config: { access: OWN_SHARE },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      await addComment(db, ctx.keyring, actorOf(request), request.params.id, request.body.text, 'owner');
      return reply.redirect(safeReturn(request.body.returnTo, '/app/journal'), 303);
    },
  );

  app.get(
    '/app/shared',
    { schema: { hide: true, querystring: langQuery }, config: { access: SHARED_ITEM } },
    async (request, reply) => {
      const lang = request.lang;
      const items = await sharedWithMe(db, ctx.keyring, actorOf(request));
      const body = html`<h1>${jt(lang, 'shared.title')}</h1>
        <p>${jt(lang, 'shared.intro')}</p>
        ${
          items.length === 0
            ? html`<p>${jt(lang, 'shared.none')}</p>`
            : html`<table>
                <thead>
                  <tr>
                    <th scope="col">${jt(lang, 'shared.from')}</th>
                    <th scope="col">${jt(lang, 'shared.item')}</th>
                    <th scope="col">${jt(lang, 'shared.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${items.map(
                    (s) =>
                      html`<tr data-testid="shared-item">
                        <td>${s.ownerName}</td>
                        <td>
                          <a href="/app/shared/${s.id}"
                            >${jt(lang, `shared.type.${s.itemType}`)}: ${itemTitle(s.item, lang)}</a
                          >
                        </td>
                        <td>${formatDate(s.createdAt, lang)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }`;
      return sendPage(request, reply, {
        title: jt(lang, 'shared.title'),
        layout: reflectionLayout(request, 'shared'),
        body,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/shared/:id',
    { schema: { hide: true, params: idParams, querystring: langQuery }, config: { access: SHARED_ITEM } },
    async (request, reply) => {
      const lang = request.lang;
      const actor = actorOf(request);
      const shared = await readShared(db, ctx.keyring, actor, request.params.id);
      let itemBody: SafeHtml;
      if (shared.item.type === 'journal_entry') itemBody = entryHtml(shared.item, lang, 2);
      else if (shared.item.type === 'practice_goal')
        itemBody = html`<article class="card">
          <h2>${shared.item.content.title}</h2>
          ${goalSummary({ ...shared.item, skill: shared.item.skill as never, archivedAt: null }, lang)}
        </article>`;
      else {
        const gender = await genderOf(db, { ...actor, userId: shared.ownerId });
        itemBody = html`<div class="shared-report">
          ${reportHtml(sharedReport(ctx, shared.item, gender), lang, null)}
        </div>`;
      }
      const heading = jt(lang, 'shared.heading', {
        type: jt(lang, `shared.type.${shared.itemType}`),
        name: shared.ownerName,
      });
      const body = html`<p><a href="/app/shared">${jt(lang, 'shared.title')}</a></p>
        ${shared.item.type === 'self_check' ? html`<p class="eyebrow">${heading}</p>` : html`<h1>${heading}</h1>`}
        ${itemBody}
        <section class="card" aria-labelledby="comments-title">
          <h2 id="comments-title">${jt(lang, 'comments.title')}</h2>
          ${commentsHtml(shared.comments, lang)}
          ${commentForm(reply, `/app/shared/${shared.id}/comments`, lang, 'supervisor')}
        </section>`;
      return sendPage(request, reply, { title: heading, layout: reflectionLayout(request, 'shared'), body });
    },
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/app/shared/:id/comments',
    {
      schema: { hide: true, params: idParams, body: commentBody },
      config: { access: SHARED_ITEM },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      await addComment(db, ctx.keyring, actorOf(request), request.params.id, request.body.text, 'supervisor');
      return reply.redirect(`/app/shared/${request.params.id}`, 303);
    },
  );
}

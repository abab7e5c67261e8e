import type { FastifyInstance } from 'fastify';
import { isSpiegelError, SpiegelError } from '../../domain/errors.ts';
import { isTemplateId, parseEntry, type JournalEntryContent } from '../../domain/reflection/journal.ts';
import {
  createEntry,
  deleteEntry,
  readEntry,
  searchEntries,
  tagsOf,
  updateEntry,
} from '../../store/reflection-journal.ts';
import { listSupervisors, sharesOfItem } from '../../store/reflection-shares.ts';
import { html } from '../../web/html.ts';
import type { Access } from '../access.ts';
import { actorOf, type ReflectionContext } from './context.ts';
import { journalKeyState } from '../../store/journal-keys.ts';
import { journalKeyPanel } from './journal-key-pages.ts';
import { entryActions, entryHtml, formBody, listBody } from './journal-pages.ts';
import { reminderHtml, reflectionLayout } from './page.ts';
import { sendPage } from '../pages.ts';
import { anyForm, csrfOnly, idParams, langQuery } from './schemas.ts';
import { sharingPanel } from './sharing-html.ts';
import { jt } from './texts-more.ts';

/** The reflection journal: list and search, new entry per template, view, edit, delete. */

export const OWN_JOURNAL: Access = { kind: 'own', roles: ['therapist'], resource: 'journal-entry' };

export function registerJournalRoutes(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;
  const config = { access: OWN_JOURNAL };

  app.get<{ Querystring: { q?: string; tag?: string; notice?: string } }>(
    '/app/journal',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 200 },
            tag: { type: 'string', maxLength: 40 },
            notice: { type: 'string', enum: ['unlocked', 'unlock-failed'] },
            lang: { type: 'string', enum: ['nl', 'en'] },
          },
        },
      },
      config,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const keyPanel = journalKeyPanel(
        reply,
        request.lang,
        await journalKeyState(db, actor.userId),
        request.query.notice,
      );
      const query = request.query.q?.trim() ?? '';
      const tag = request.query.tag?.trim() || null;
      const all = await searchEntries(db, ctx.own(request), actor, query, tag);
      const tags = query || tag ? tagsOf(await searchEntries(db, ctx.own(request), actor)) : tagsOf(all);
      const reminder = await reminderHtml(db, actor, request.lang);
      return sendPage(request, reply, {
        title: jt(request.lang, 'journal.title'),
        layout: reflectionLayout(request, 'journal'),
        body: html`${reminder}${listBody(request.lang, { entries: all, tags, query, tag }, keyPanel)}`,
      });
    },
  );

  app.get<{ Querystring: { template?: string; mode?: string } }>(
    '/app/journal/new',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            template: { type: 'string', maxLength: 40 },
            mode: { type: 'string', enum: ['individual', 'group'] },
            lang: { type: 'string', enum: ['nl', 'en'] },
          },
        },
      },
      config,
    },
    async (request, reply) => {
      const templateId = isTemplateId(request.query.template) ? request.query.template : 'free';
      const mode = request.query.mode === 'group' ? 'group' : 'individual';
      const body = formBody(reply, request.lang, {
        action: '/app/journal',
        templateId,
        mode,
        content: {},
        error: null,
      });
      return sendPage(request, reply, {
        title: jt(request.lang, 'journal.new'),
        layout: reflectionLayout(request, 'journal'),
        body,
      });
    },
  );

  /** Parses the entry; on a validation error re-renders the form with what was typed. */
  const parseOr400 = (body: Record<string, unknown>): { content: JournalEntryContent } | { error: SpiegelError } => {
    try {
      return { content: parseEntry(body) };
    } catch (error) {
      if (isSpiegelError(error) && error.code === 'VALIDATION_FAILED') return { error };
      throw error;
    }
  };

  const echo = (body: Record<string, unknown>): Partial<JournalEntryContent> => {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(body))
      if (key.startsWith('field_') && typeof value === 'string') fields[key.slice(6)] = value;
    return {
      title: typeof body.title === 'string' ? body.title : '',
      occurredOn: typeof body.occurredOn === 'string' ? body.occurredOn : null,
      fields,
    };
  };

  app.post<{ Body: Record<string, unknown> }>(
    '/app/journal',
    { schema: { hide: true, body: anyForm }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const parsed = parseOr400(request.body);
      if ('error' in parsed) {
        const templateId = isTemplateId(request.body.template) ? request.body.template : 'free';
        const body = formBody(reply, request.lang, {
          action: '/app/journal',
          templateId,
          mode: request.body.mode === 'group' ? 'group' : 'individual',
          content: echo(request.body),
          error: parsed.error.message,
          tagsText: String(request.body.tags ?? ''),
        });
        return sendPage(request, reply, {
          title: jt(request.lang, 'journal.new'),
          layout: reflectionLayout(request, 'journal'),
          status: 400,
          body,
        });
      }
      const id = await createEntry(db, ctx.own(request), actorOf(request), parsed.content);
      return reply.redirect(`/app/journal/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/journal/:id',
    { schema: { hide: true, params: idParams, querystring: langQuery }, config },
    async (request, reply) => {
      const actor = actorOf(request);
      const entry = await readEntry(db, ctx.own(request), actor, request.params.id);
      const [supervisors, sharing] = await Promise.all([
        listSupervisors(db, actor),
        sharesOfItem(db, ctx.keyring, actor, 'journal_entry', entry.id),
      ]);
      const lang = request.lang;
      const body = html`<p><a href="/app/journal">${jt(lang, 'journal.title')}</a></p>
        ${entryHtml(entry, lang)}${entryActions(reply, lang, entry.id)}${sharingPanel(reply, lang, { itemType: 'journal_entry', itemId: entry.id, returnTo: `/app/journal/${entry.id}`, supervisors, ...sharing })}`;
      return sendPage(request, reply, {
        title: entry.content.title,
        layout: reflectionLayout(request, 'journal'),
        body,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/journal/:id/edit',
    { schema: { hide: true, params: idParams, querystring: langQuery }, config },
    async (request, reply) => {
      const entry = await readEntry(db, ctx.own(request), actorOf(request), request.params.id);
      const body = formBody(reply, request.lang, {
        action: `/app/journal/${entry.id}`,
        templateId: entry.content.template,
        mode: entry.content.mode ?? 'individual',
        content: entry.content,
        error: null,
      });
      return sendPage(request, reply, {
        title: entry.content.title,
        layout: reflectionLayout(request, 'journal'),
        body,
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/app/journal/:id',
    { schema: { hide: true, params: idParams, body: anyForm }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const actor = actorOf(request);
      const existing = await readEntry(db, ctx.own(request), actor, request.params.id);
      // The template of an entry is fixed at creation.
      const parsed = parseOr400({
        ...request.body,
        template: existing.content.template,
        mode: existing.content.mode ?? undefined,
      });
      if ('error' in parsed) {
        const body = formBody(reply, request.lang, {
          action: `/app/journal/${existing.id}`,
          templateId: existing.content.template,
          mode: existing.content.mode ?? 'individual',
          content: echo(request.body),
          error: parsed.error.message,
          tagsText: String(request.body.tags ?? ''),
        });
        return sendPage(request, reply, {
          title: existing.content.title,
          layout: reflectionLayout(request, 'journal'),
          status: 400,
          body,
        });
      }
      await updateEntry(db, ctx.keys(request), actor, existing.id, parsed.content);
      return reply.redirect(`/app/journal/${existing.id}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/app/journal/:id/delete',
    { schema: { hide: true, params: idParams, body: csrfOnly }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      await deleteEntry(db, actorOf(request), request.params.id);
      return reply.redirect('/app/journal', 303);
    },
  );
}

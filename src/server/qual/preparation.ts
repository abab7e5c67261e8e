import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { applyPseudonyms, codebookCsv, codebookQdc, pseudonymSuggestions } from '../../domain/qual/transcripts.ts';
import { html } from '../../web/html.ts';
import { formatNumber } from '../../web/i18n.ts';
import { setBlinded } from '../../store/qual/coding.ts';
import { putDocument } from '../../store/qual/editing.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { caseLabel, idParams, investigatorAccess, member, memberAccess, qualActor, short } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

const caseQuery = {
  type: 'object',
  required: ['case'],
  properties: { case: caseLabel },
} as const;

/** Before and around coding: pseudonymising a new transcript, blinding, and the codebook files. */
export function registerQualPreparationRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get<{ Params: { id: string }; Querystring: { case: string } }>(
    '/app/qual/:id/pseudonymise',
    { config: investigatorAccess, schema: { hide: true, params: idParams, querystring: caseQuery } },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const doc = project.documents.find((d) => d.caseLabel === request.query.case);
      if (!doc) throw new SpiegelError('NOT_FOUND', 'No such case.');
      const suggestions = pseudonymSuggestions(doc.text);
      const body = html`<p><a href="/app/qual/${access.id}">${project.name}</a></p>
        <h1>${t(lang, 'pseudo.title', { case: doc.caseLabel })}</h1>
        <p role="status" class="notice">${t(lang, 'import.done', { case: doc.caseLabel })}</p>
        <p>${t(lang, 'pseudo.intro')}</p>
        ${
          suggestions.length
            ? html`<ul data-testid="pseudonym-suggestions" lang="${access.language}">
              ${suggestions.map((s) => html`<li>${s.word} (${formatNumber(lang, s.count, 0)})</li>`)}
            </ul>`
            : html`<p>${t(lang, 'pseudo.none')}</p>`
        }
        <form method="post" action="/app/qual/${access.id}/pseudonymise?case=${encodeURIComponent(doc.caseLabel)}">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          <label for="replacements">${t(lang, 'pseudo.replacements')}</label>
          <textarea id="replacements" name="replacements" rows="5"></textarea>
          <button type="submit">${t(lang, 'pseudo.apply')}</button>
        </form>
        <p><a href="/app/qual/${access.id}">${t(lang, 'project.back')}</a></p>`;
      return sendPage(request, reply, { title: t(lang, 'pseudo.title', { case: doc.caseLabel }), body });
    },
  );

  app.post<{ Params: { id: string }; Querystring: { case: string }; Body: { replacements: string } }>(
    '/app/qual/:id/pseudonymise',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        querystring: caseQuery,
        body: {
          type: 'object',
          required: ['replacements'],
          properties: { replacements: short(20_000), _csrf: short(200) },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const doc = project.documents.find((d) => d.caseLabel === request.query.case);
      if (!doc) throw new SpiegelError('NOT_FOUND', 'No such case.');
      const map: Record<string, string> = {};
      for (const line of request.body.replacements.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0 && line.slice(0, at).trim()) map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      const text = applyPseudonyms(doc.text, map);
      if (text !== doc.text)
        await putDocument(db, keyring, qualActor(request), access.id, {
          caseLabel: doc.caseLabel,
          text,
          attributes: doc.attributes,
        });
      return reply.redirect(`/app/qual/${access.id}?imported=${encodeURIComponent(doc.caseLabel)}`, 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { blinded: 'true' | 'false' } }>(
    '/app/qual/:id/blinding',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['blinded'],
          properties: { blinded: { type: 'string', enum: ['true', 'false'] }, _csrf: short(200) },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      await setBlinded(db, qualActor(request), access.id, request.body.blinded === 'true');
      return reply.redirect(`/app/qual/${access.id}`, 303);
    },
  );

  app.get<{ Params: { id: string; ext: 'csv' | 'qdc' } }>(
    '/app/qual/:id/codebook.:ext',
    {
      config: memberAccess,
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'ext'],
          properties: { id: { type: 'string', format: 'uuid' }, ext: { type: 'string', enum: ['csv', 'qdc'] } },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const csv = request.params.ext === 'csv';
      return reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="codebook.${request.params.ext}"`)
        .header('cache-control', 'no-store')
        .send(csv ? codebookCsv(project.codes) : codebookQdc(project.id, project.codes));
    },
  );
}

/**
 * Paper questionnaires (issue 19): the researcher types in a completed paper, once or twice (double
 * data entry), and resolves the differences between two entries item by item.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { discrepancies, resolveEntries } from '../../domain/research/paper.ts';
import { readSurvey, type Survey } from '../../domain/research/survey.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { researchText as t } from '../../web/research/texts.ts';
import { itemField } from '../../web/research/survey-page.ts';
import { enterPaper, paperEntries, paperOverview, resolvePaper, type EntryKind } from '../../store/research-paper.ts';
import type { Study } from '../../store/research.ts';
import { sendPage } from '../pages.ts';
import { ownStudy, researcherAccess, studyTitle } from './studies.ts';
import { responseFromForm } from './survey.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const paperId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,30}$' } as const;

export function registerPaperRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    study: Study,
    notice: SafeHtml | null,
    status = 200,
    values: Record<string, string> = {},
  ) {
    const lang = request.lang;
    const survey = readSurvey(study.questionnaire);
    const mark =
      (survey.questionnaire.language ?? 'nl') === lang ? null : html`lang="${survey.questionnaire.language}"`;
    const base = `/app/research/studies/${study.id}`;
    const papers = await paperOverview(db, study.id);
    const statusText = (p: (typeof papers)[number]) =>
      p.stored
        ? p.discrepancies
          ? t(lang, 'paper.statusStoredResolved', { n: p.discrepancies })
          : t(lang, 'paper.statusStored')
        : p.entries.length === 2
          ? html`<a href="${base}/paper/${p.paperId}">${t(lang, 'paper.statusDiscrepant')}</a>`
          : t(lang, 'paper.statusWaiting');
    const body = html`<p><a href="${base}">${studyTitle(study, lang)}</a></p>
      <h1>${t(lang, 'paper.title')}</h1>
      ${notice}
      <p>${t(lang, 'paper.intro')}</p>
      <form method="post" action="${base}/paper" data-testid="paper-form" novalidate>
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        <label for="paper-id">${t(lang, 'paper.id')}</label>
        <input id="paper-id" name="paper" required pattern="[A-Za-z0-9_\\-]{1,30}" value="${values.paper ?? ''}" />
        <label for="paper-entry">${t(lang, 'paper.entry')}</label>
        <select id="paper-entry" name="entry">
          <option value="1">${t(lang, 'paper.first')}</option>
          <option value="2">${t(lang, 'paper.second')}</option>
          <option value="single">${t(lang, 'paper.single')}</option>
        </select>
        ${survey.items.filter((i) => !i.assign).map((item, i) => itemField(item, i + 1, values, null, mark))}
        <p><button type="submit">${t(lang, 'paper.save')}</button></p>
      </form>
      <h2>${t(lang, 'paper.overview')}</h2>
      ${
        papers.length
          ? html`<table data-testid="paper-overview">
            <thead>
              <tr>
                <th scope="col">${t(lang, 'paper.id')}</th>
                <th scope="col">${t(lang, 'paper.entries')}</th>
                <th scope="col">${t(lang, 'paper.status')}</th>
              </tr>
            </thead>
            <tbody>
              ${papers.map(
                (p) =>
                  html`<tr>
                    <th scope="row">${p.paperId}</th>
                    <td>${p.entries.join(' + ') || '—'}</td>
                    <td>${statusText(p)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
          : html`<p>${t(lang, 'paper.none')}</p>`
      }`;
    return sendPage(request, reply, { title: t(lang, 'paper.title'), body, status });
  }

  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/paper',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => page(request, reply, await ownStudy(request, request.params.id), null),
  );

  app.post<{ Params: { id: string }; Body: Record<string, string> }>(
    '/app/research/studies/:id/paper',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['paper', 'entry'],
          properties: { paper: paperId, entry: { type: 'string', enum: ['1', '2', 'single'] } },
          additionalProperties: { type: 'string', maxLength: 2000 },
          maxProperties: 400,
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const survey = readSurvey(study.questionnaire);
      const { response, errors } = responseFromForm(survey, request.body, lang);
      if (errors.size) {
        const notice = html`<p class="error" role="alert">${t(lang, 'survey.errors')}</p>`;
        return page(request, reply, study, notice, 422, request.body);
      }
      const entry: EntryKind = request.body.entry === 'single' ? 'single' : (Number(request.body.entry) as 1 | 2);
      const paper = request.body.paper;
      const outcome = await enterPaper(
        db,
        study,
        request.staff!.userId,
        { paperId: paper, entry, response },
        (a, b) => discrepancies(survey, a, b).length,
      );
      if (outcome === 'discrepant') return reply.redirect(`/app/research/studies/${study.id}/paper/${paper}`, 303);
      const notice = html`<p role="status" class="notice" data-testid="paper-outcome" data-outcome="${outcome}">
        ${t(lang, outcome === 'stored' ? 'paper.stored' : 'paper.waiting', { paper })}
      </p>`;
      return page(request, reply, study, notice);
    },
  );

  function valueText(lang: 'nl' | 'en', survey: Survey, item: string, value: number | string | null): string {
    if (value === null) return t(lang, 'paper.blank');
    const option = survey.items.find((i) => i.name === item)?.options.find((o) => o.value === value);
    return option ? `${value} = ${option.label}` : String(value);
  }

  app.get<{ Params: { id: string; paper: string } }>(
    '/app/research/studies/:id/paper/:paper',
    {
      config: researcherAccess,
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'paper'],
          properties: { id: idParams.properties.id, paper: paperId },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const survey = readSurvey(study.questionnaire);
      const paper = request.params.paper;
      const { first, second } = await paperEntries(db, study.id, paper);
      // Not (yet) entered twice: nothing to resolve, back to the overview.
      if (!first || !second) return reply.redirect(`/app/research/studies/${study.id}/paper`, 303);
      const list = discrepancies(survey, first, second);
      const textLang = survey.questionnaire.language ?? 'nl';
      const body = html`<p><a href="/app/research/studies/${study.id}/paper">${t(lang, 'paper.title')}</a></p>
        <h1>${t(lang, 'paper.resolveTitle', { paper })}</h1>
        <p role="status" class="notice">${t(lang, 'paper.discrepant', { paper })}</p>
        <form method="post" action="/app/research/studies/${study.id}/paper/${paper}" data-testid="paper-resolve">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          <table data-testid="discrepancies">
            <thead>
              <tr>
                <th scope="col">${t(lang, 'paper.question')}</th>
                <th scope="col">${t(lang, 'paper.firstValue')}</th>
                <th scope="col">${t(lang, 'paper.secondValue')}</th>
              </tr>
            </thead>
            <tbody>
              ${list.map((d) => {
                const item = survey.items.find((i) => i.name === d.item)!;
                const choice = (n: 1 | 2, value: number | string | null) =>
                  html`<td>
                    <label class="check"
                      ><input type="radio" name="c.${d.item}" value="${String(n)}" required />
                      <span lang="${textLang}">${valueText(lang, survey, d.item, value)}</span></label
                    >
                  </td>`;
                return html`<tr>
                  <th scope="row"><code>${d.item}</code> <span lang="${textLang}">${item.text}</span></th>
                  ${choice(1, d.first)} ${choice(2, d.second)}
                </tr>`;
              })}
            </tbody>
          </table>
          <p><button type="submit">${t(lang, 'paper.resolve')}</button></p>
        </form>`;
      return sendPage(request, reply, { title: t(lang, 'paper.resolveTitle', { paper }), body });
    },
  );

  app.post<{ Params: { id: string; paper: string }; Body: Record<string, string> }>(
    '/app/research/studies/:id/paper/:paper',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'paper'],
          properties: { id: idParams.properties.id, paper: paperId },
        },
        body: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, maxProperties: 400 },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const survey = readSurvey(study.questionnaire);
      const paper = request.params.paper;
      const { first, second } = await paperEntries(db, study.id, paper);
      if (!first || !second) return reply.redirect(`/app/research/studies/${study.id}/paper`, 303);
      const list = discrepancies(survey, first, second);
      const choice: Record<string, 1 | 2> = {};
      for (const d of list) {
        const picked = request.body[`c.${d.item}`];
        if (picked !== '1' && picked !== '2')
          throw new SpiegelError('VALIDATION_FAILED', `Choose an entry for ${d.item}.`);
        choice[d.item] = picked === '2' ? 2 : 1;
      }
      const response = resolveEntries(survey, first, second, choice);
      await resolvePaper(db, study, request.staff!.userId, paper, response, list.length);
      return reply.redirect(`/app/research/studies/${study.id}/paper`, 303);
    },
  );
}

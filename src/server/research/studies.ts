/**
 * A researcher's studies: the list, creating one (details, consent, survey in the text format),
 * opening and closing it, and distribution (public links with a QR code, single-use tokens).
 */
import { parseEligibility } from '../../domain/research/eligibility.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { qrSvg } from '../qr.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { researchText as t } from '../../web/research/texts.ts';
import { sendPage } from '../pages.ts';
import { SpiegelError, isSpiegelError } from '../../domain/errors.ts';
import { surveyFromText } from '../../domain/research/survey.ts';
import {
  createPublicLink,
  createStudy,
  createTokens,
  funnel,
  getStudy,
  listStudies,
  publicLinks,
  setStudyStatus,
  type LegalBasis,
  type Study,
} from '../../store/research.ts';
import { studyDataSections } from './study-data.ts';

export const researcherAccess = { access: { kind: 'staff' as const, roles: ['researcher' as const] } };
const LEGAL: LegalBasis[] = ['consent', 'public-interest', 'legitimate-interest'];
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 40 } },
} as const;

/** A study's title is the researcher's own text, in the survey's language; marked when the page differs. */
export function studyTitle(
  study: Pick<Study, 'title'> & { questionnaire?: Study['questionnaire'] },
  lang: string,
): SafeHtml {
  return inLanguage(study.title, study.questionnaire?.language ?? 'nl', lang);
}

export async function ownStudy(request: FastifyRequest, id: string): Promise<Study> {
  const staff = request.staff!;
  const study = await getStudy(request.server.ctx.store.db, staff.orgId, id);
  if (study.ownerId !== staff.userId) throw new SpiegelError('NOT_FOUND', `No study with id '${id}'.`);
  return study;
}

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}`;
}

type NewStudyBody = Record<'title' | 'ethics' | 'legal' | 'retention' | 'letter' | 'consent' | 'survey', string> & {
  eligibility?: string;
};

function newStudyForm(lang: 'nl' | 'en', values: Partial<NewStudyBody>, csrf: string): SafeHtml {
  const input = (name: keyof NewStudyBody, label: string, type = 'text') =>
    html`<label for="s-${name}">${label}</label
      ><input id="s-${name}" name="${name}" type="${type}" required value="${values[name] ?? ''}" />`;
  const area = (name: keyof NewStudyBody, label: string, rows: number, help?: string) =>
    html`<label for="s-${name}">${label}</label
      >${help ? html`<p class="muted" id="s-${name}-help">${help}</p>` : null}<textarea
        id="s-${name}"
        name="${name}"
        rows="${rows}"
        required
        ${help ? html`aria-describedby="s-${name}-help"` : null}
      >
${values[name] ?? ''}</textarea>`;
  return html`<section class="card" aria-labelledby="new-h">
    <h2 id="new-h">${t(lang, 'new.title')}</h2>
    <form method="post" action="/app/research/studies">
      <input type="hidden" name="_csrf" value="${csrf}" />
      ${input('title', t(lang, 'field.title'))} ${input('ethics', t(lang, 'field.ethics'))}
      <label for="s-legal">${t(lang, 'field.legal')}</label>
      <select id="s-legal" name="legal">
        ${LEGAL.map((l) => html`<option value="${l}" ${values.legal === l ? html`selected` : null}>${t(lang, `legal.${l}`)}</option>`)}
      </select>
      ${input('retention', t(lang, 'field.retention'), 'date')} ${area('letter', t(lang, 'field.letter'), 4)}
      ${area('consent', t(lang, 'field.consent'), 2)}
      <label for="s-eligibility">${t(lang, 'field.eligibility')}</label>
      <p class="muted" id="s-eligibility-help">${t(lang, 'field.eligibilityHelp')}</p>
      <textarea id="s-eligibility" name="eligibility" rows="3" aria-describedby="s-eligibility-help">
${values.eligibility ?? ''}</textarea
      >
      ${area('survey', t(lang, 'field.survey'), 10, t(lang, 'field.surveyHelp'))}
      <p><button type="submit">${t(lang, 'new.create')}</button></p>
    </form>
    <details>
      <summary>${t(lang, 'redcap.import')}</summary>
      <form method="post" action="/app/research/studies/redcap">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="s-dictionary">${t(lang, 'redcap.dictionary')}</label>
        <p class="muted" id="s-dictionary-help">${t(lang, 'redcap.help')}</p>
        <textarea id="s-dictionary" name="dictionary" rows="6" required aria-describedby="s-dictionary-help"></textarea>
        <p><button type="submit" id="redcap-import">${t(lang, 'redcap.run')}</button></p>
      </form>
    </details>
  </section>`;
}

/** Registers the study pages; returns the list page so the REDCap import can render the form filled in. */
export function registerStudyRoutes(app: FastifyInstance) {
  const { db } = app.ctx.store;

  const listPage = async (
    request: FastifyRequest,
    reply: import('fastify').FastifyReply,
    values: Partial<NewStudyBody>,
    error: string | null,
  ) => {
    const lang = request.lang;
    const studies = await listStudies(db, request.staff!.orgId, request.staff!.userId);
    const body = html`<h1>${t(lang, 'studies.title')}</h1>
      <p>${t(lang, 'studies.intro')}</p>
      <p>
        <a href="/app/research">${t(lang, 'studies.calculator')}</a> ·
        <a href="/app/research/check">${t(lang, 'studies.check')}</a>
      </p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${
        studies.length === 0
          ? html`<p>${t(lang, 'studies.none')}</p>`
          : html`<ul data-testid="study-list">
              ${studies.map(
                (s) =>
                  html`<li>
                    <a href="/app/research/studies/${s.id}">${studyTitle(s, lang)}</a> (${t(lang, `status.${s.status}`)};
                    ${s.responses} ${t(lang, 'studies.responses')})
                  </li>`,
              )}
            </ul>`
      }
      ${newStudyForm(lang, values, reply.generateCsrf())}`;
    return sendPage(request, reply, {
      title: t(lang, 'studies.title'),
      body,
      path: '/app/research/studies',
      status: error ? 422 : 200,
    });
  };

  app.get('/app/research/studies', { config: researcherAccess, schema: { hide: true } }, (request, reply) =>
    listPage(request, reply, { legal: 'consent' }, null),
  );

  app.post<{ Body: NewStudyBody }>(
    '/app/research/studies',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['title', 'ethics', 'legal', 'retention', 'letter', 'consent', 'survey'],
          properties: {
            _csrf: { type: 'string' },
            title: { type: 'string', maxLength: 200 },
            ethics: { type: 'string', maxLength: 200 },
            legal: { type: 'string', maxLength: 40 },
            retention: { type: 'string', maxLength: 10 },
            letter: { type: 'string', maxLength: 20000 },
            consent: { type: 'string', maxLength: 4000 },
            survey: { type: 'string', maxLength: 60000 },
            eligibility: { type: 'string', maxLength: 8000 },
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const lang = request.lang;
      try {
        const title = b.title.trim();
        if (!title || !b.ethics.trim() || !b.letter.trim() || !b.consent.trim())
          throw new SpiegelError(
            'STUDY_INVALID',
            'Title, ethics reference, information letter and consent text are all needed.',
          );
        if (!LEGAL.includes(b.legal as LegalBasis))
          throw new SpiegelError('STUDY_INVALID', `Unknown legal basis '${b.legal}'.`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(b.retention) || Number.isNaN(Date.parse(b.retention)))
          throw new SpiegelError('STUDY_INVALID', 'The retention date must be a date (YYYY-MM-DD).');
        const survey = surveyFromText(b.survey, { id: 'draft', title, version: 1, lang });
        const eligibility = parseEligibility(b.eligibility ?? '');
        const id = await createStudy(db, {
          orgId: request.staff!.orgId,
          ownerId: request.staff!.userId,
          title,
          ethicsReference: b.ethics.trim(),
          legalBasis: b.legal as LegalBasis,
          retentionUntil: b.retention,
          surveyText: b.survey,
          questionnaire: survey.questionnaire,
          informationLetter: b.letter.trim(),
          consentText: b.consent.trim(),
          eligibility,
        });
        return reply.redirect(`/app/research/studies/${id}`, 303);
      } catch (error) {
        if (isSpiegelError(error) && (error.code === 'SURVEY_INVALID' || error.code === 'STUDY_INVALID'))
          return listPage(request, reply, b, error.message);
        throw error;
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const csrf = reply.generateCsrf();
      const links = await publicLinks(db, study.id);
      const counts = await funnel(db, study.id);
      const stages = ['opened', 'eligible', 'screened-out', 'consented', 'declined', 'completed', 'withdrawn'] as const;
      const channels = [...new Set(counts.map((c) => c.channel))];
      const action = (path: string, label: string, extra: SafeHtml | null = null, id?: string) =>
        html`<form method="post" action="/app/research/studies/${study.id}/${path}" class="inline">
          <input type="hidden" name="_csrf" value="${csrf}" />${extra}<button
            type="submit"
            ${id ? html`id="${id}"` : null}
          >
            ${label}
          </button>
        </form>`;
      const qr = await Promise.all(
        links.map(async (l) => ({
          ...l,
          url: `${baseUrl(request)}/s/${l.token}`,
          svg: await qrSvg(`${baseUrl(request)}/s/${l.token}`, { margin: 1 }),
        })),
      );
      const body = html`<h1>${studyTitle(study, lang)}</h1>
        <section class="card" aria-labelledby="det-h">
          <h2 id="det-h">${t(lang, 'study.details')}</h2>
          <dl>
            <dt>${t(lang, 'field.ethics')}</dt>
            <dd>${study.ethicsReference}</dd>
            <dt>${t(lang, 'field.legal')}</dt>
            <dd>${t(lang, `legal.${study.legalBasis}`)}</dd>
            <dt>${t(lang, 'field.retention')}</dt>
            <dd>${study.retentionUntil}</dd>
            <dt>${t(lang, 'study.status')}</dt>
            <dd data-testid="study-status">${t(lang, `status.${study.status}`)}</dd>
          </dl>
          <p class="muted">
            ${t(lang, 'study.consentVersion', { v: study.consent.version })};
            ${t(lang, 'study.surveyVersion', { v: study.surveyVersion })}
          </p>
          ${study.status !== 'open' ? action('status', t(lang, 'study.open'), html`<input type="hidden" name="status" value="open" />`, 'open-study') : action('status', t(lang, 'study.close'), html`<input type="hidden" name="status" value="closed" />`)}
        </section>
        <section class="card" aria-labelledby="links-h">
          <h2 id="links-h">${t(lang, 'links.title')}</h2>
          <p>${t(lang, 'links.anonymous')}</p>
          ${qr.map(
            (l) =>
              html`<figure>
                <img
                  src="data:image/svg+xml;base64,${Buffer.from(l.svg).toString('base64')}"
                  width="160"
                  height="160"
                  alt="${t(lang, 'links.qr', { channel: l.channel })}"
                />
                <figcaption>${l.channel}: <a href="${l.url}" data-testid="public-link">${l.url}</a></figcaption>
              </figure>`,
          )}
          ${
            study.status === 'open'
              ? html`${action('links', t(lang, 'links.newPublic'), html`<label for="ch-pub">${t(lang, 'links.channel')}</label><input id="ch-pub" name="channel" required maxlength="60" value="openbaar" />`, 'new-link')}
                ${action('tokens', t(lang, 'links.newTokens'), html`<label for="ch-tok">${t(lang, 'links.channel')}</label><input id="ch-tok" name="channel" required maxlength="60" value="e-mail" /><label for="tok-n">${t(lang, 'links.count')}</label><input id="tok-n" name="count" type="number" min="1" max="1000" value="10" />`)}
                ${action('invite', t(lang, 'invite.button'), null, 'invite-org')}`
              : html`<p class="muted">${t(lang, 'links.notOpen')}</p>`
          }
          ${
            channels.length
              ? html`<table>
                  <caption>
                    ${t(lang, 'funnel.title')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t(lang, 'links.channel')}</th>
                      ${stages.map((s) => html`<th scope="col">${t(lang, `funnel.${s}`)}</th>`)}
                    </tr>
                  </thead>
                  <tbody>
                    ${channels.map(
                      (c) =>
                        html`<tr>
                          <th scope="row">${c}</th>
                          ${stages.map((s) => html`<td>${counts.find((x) => x.channel === c && x.stage === s)?.count ?? 0}</td>`)}
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : null
          }
        </section>
        ${await studyDataSections(request, study)}`;
      return sendPage(request, reply, { title: study.title, body, path: '/app/research/studies' });
    },
  );

  app.post<{ Params: { id: string }; Body: { status: string } }>(
    '/app/research/studies/:id/status',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['status'],
          properties: { _csrf: { type: 'string' }, status: { type: 'string', enum: ['open', 'closed'] } },
        },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      await setStudyStatus(db, study, request.body.status as 'open' | 'closed', request.staff!.userId);
      return reply.redirect(`/app/research/studies/${study.id}`, 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { channel: string } }>(
    '/app/research/studies/:id/links',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['channel'],
          properties: { _csrf: { type: 'string' }, channel: { type: 'string', minLength: 1, maxLength: 60 } },
        },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      if (study.status !== 'open') throw new SpiegelError('STUDY_NOT_OPEN');
      await createPublicLink(db, study, request.body.channel.trim() || 'openbaar');
      return reply.redirect(`/app/research/studies/${study.id}`, 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { channel: string; count: string } }>(
    '/app/research/studies/:id/tokens',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['channel', 'count'],
          properties: {
            _csrf: { type: 'string' },
            channel: { type: 'string', minLength: 1, maxLength: 60 },
            count: { type: 'string', pattern: '^[0-9]{1,4}$' },
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      if (study.status !== 'open') throw new SpiegelError('STUDY_NOT_OPEN');
      const count = Number(request.body.count);
      if (count < 1 || count > 1000) throw new SpiegelError('STUDY_INVALID', 'Between 1 and 1000 tokens at a time.');
      const tokens = await createTokens(db, study, request.body.channel.trim(), count);
      const body = html`<h1>${t(lang, 'links.newTokens')}</h1>
        <p>${t(lang, 'links.tokensOnce')}</p>
        <textarea rows="12" cols="70" readonly aria-label="${t(lang, 'links.newTokens')}">
${tokens.map((tok) => `${baseUrl(request)}/s/${tok}`).join('\n')}</textarea>
        <p><a href="/app/research/studies/${study.id}">${studyTitle(study, lang)}</a></p>`;
      return sendPage(request, reply, { title: t(lang, 'links.newTokens'), body, path: '/app/research/studies' });
    },
  );
  return listPage;
}

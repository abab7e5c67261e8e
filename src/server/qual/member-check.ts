import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CONSENSUS, orderedCodes, type QualProject } from '../../domain/qual/types.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { formatDate } from '../../web/i18n.ts';
import {
  answerMemberCheck,
  createMemberCheck,
  memberCheckAnswers,
  memberCheckByToken,
} from '../../store/qual/member-checks.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { baseUrl } from '../research/studies.ts';
import { excerpt } from './coding.ts';
import { caseLabel, codedTranscript, codeTitle, idParams, investigatorAccess, member, qualActor } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

const DAYS = 14;
const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{20,64}$' } },
} as const;

/** The investigator's member-check overview on the project page: one link per case, and the answers. */
export async function memberCheckSection(
  request: FastifyRequest,
  project: QualProject,
  language: string,
  csrf: string,
): Promise<SafeHtml> {
  const lang = request.lang;
  const q = request.query as { link?: string; case?: string };
  const app = request.server;
  const checks = await memberCheckAnswers(app.ctx.store.db, appKeyring(app), request.staff!.orgId, project.id);
  const byId = new Map(project.codes.map((c) => [c.id, c]));
  const base = baseUrl(request);
  return html`<section aria-labelledby="mc-h">
    <h2 id="mc-h">${t(lang, 'mc.title')}</h2>
    <p>${t(lang, 'mc.intro')}</p>
    ${
      q.link && q.case
        ? html`<p role="status" class="notice">
          ${t(lang, 'mc.link', { case: q.case, days: DAYS })}
          <input readonly aria-label="${t(lang, 'mc.title')}" value="${base}/mc/${q.link}" data-testid="member-check-link" />
        </p>`
        : null
    }
    <table data-testid="member-checks">
      <thead>
        <tr>
          <th scope="col">${t(lang, 'mc.case')}</th>
          <th scope="col">${t(lang, 'mc.state')}</th>
          <th scope="col"><span class="visually-hidden">${t(lang, 'mc.create')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${project.documents.map((d) => {
          const mine = checks.filter((c) => c.documentId === d.id);
          const answered = mine.find((c) => c.answers);
          const open = mine.find((c) => !c.answeredAt && new Date(c.expiresAt).getTime() > Date.now());
          return html`<tr>
            <th scope="row">${d.caseLabel}</th>
            <td>
              ${
                answered
                  ? html`${t(lang, 'mc.answered', { date: formatDate(lang, answered.answeredAt!) })}
                    <ul>
                      ${Object.entries(answered.answers!.themes).map(
                        ([codeId, a]) =>
                          html`<li>
                            ${byId.get(codeId) ? codeTitle(byId.get(codeId)!, language, lang) : codeId}:
                            ${t(lang, a.agree ? 'mc.agree' : 'mc.disagree')}${
                              a.comment ? html` (<q lang="${language}">${a.comment}</q>)` : null
                            }
                          </li>`,
                      )}
                    </ul>
                    ${t(lang, 'mc.quotes', { n: answered.answers!.quoteConsent.length })}`
                  : open
                    ? t(lang, 'mc.open', { date: formatDate(lang, open.expiresAt) })
                    : t(lang, 'mc.notSent')
              }
            </td>
            <td>
              <form method="post" action="/app/qual/${project.id}/member-checks">
                <input type="hidden" name="_csrf" value="${csrf}" />
                <input type="hidden" name="case" value="${d.caseLabel}" />
                <button type="submit" class="secondary">${t(lang, 'mc.create')}</button>
              </form>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

type Answers = Record<string, string | string[] | undefined>;

/** Member checks: the investigator makes a link; the participant answers without an account. */
export function registerQualMemberCheckRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);
  const publicAccess = { access: { kind: 'public' as const } };

  app.post<{ Params: { id: string }; Body: { case: string } }>(
    '/app/qual/:id/member-checks',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['case'],
          properties: {
            case: caseLabel,
            _csrf: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      const doc = await db
        .selectFrom('qual_documents')
        .select('id')
        .where('project_id', '=', access.id)
        .where('case_label', '=', request.body.case)
        .executeTakeFirst();
      if (!doc) return reply.redirect(`/app/qual/${access.id}`, 303);
      const { token } = await createMemberCheck(db, qualActor(request), access.id, doc.id, DAYS);
      const c = encodeURIComponent(request.body.case);
      return reply.redirect(`/app/qual/${access.id}?case=${c}&link=${token}#mc-h`, 303);
    },
  );

  /** The participant's view: their transcript with the consensus coding, and the themes found in it. */
  async function participantView(token: string) {
    const check = await memberCheckByToken(db, token);
    const actor = { orgId: check.orgId, userId: null, role: 'participant' };
    const project = await loadProject(db, keyring, actor, check.projectId);
    const doc = project.documents.find((d) => d.id === check.documentId)!;
    const segments = project.segments.filter((s) => s.documentId === doc.id && s.coderId === CONSENSUS);
    const themes = orderedCodes(project.codes).filter((c) => segments.some((s) => s.codeId === c.id));
    const language = (
      await db.selectFrom('qual_projects').select('language').where('id', '=', project.id).executeTakeFirstOrThrow()
    ).language;
    return { check, project, doc, segments, themes, language };
  }

  app.get<{ Params: { token: string } }>(
    '/mc/:token',
    { config: publicAccess, schema: { hide: true, params: tokenParams } },
    async (request, reply) => {
      const lang = request.lang;
      const { project, doc, segments, themes, language } = await participantView(request.params.token);
      const own = (text: string) => inLanguage(text, language, lang);
      const body = html`<h1>${t(lang, 'mc.pageTitle')}</h1>
        <p>${t(lang, 'mc.pageIntro')}</p>
        <form method="post" action="/mc/${request.params.token}" data-testid="member-check-form">
          <h2>${t(lang, 'mc.themes')}</h2>
          ${themes.map(
            (c) => html`<fieldset>
              <legend>${codeTitle(c, language, lang)}</legend>
              ${c.definition ? html`<p>${own(c.definition)}</p>` : null}
              <p>${t(lang, 'mc.recognise')}</p>
              <label class="check"><input type="radio" name="agree_${c.label}" value="yes" required /> ${t(lang, 'mc.yes')}</label>
              <label class="check"><input type="radio" name="agree_${c.label}" value="no" /> ${t(lang, 'mc.no')}</label>
              <label for="comment-${c.label}">${t(lang, 'mc.comment')}</label>
              <textarea id="comment-${c.label}" name="comment_${c.label}" rows="2" maxlength="2000"></textarea>
            </fieldset>`,
          )}
          <h2>${t(lang, 'mc.quotesTitle')}</h2>
          ${segments.map(
            (s) => html`<label class="check"
              ><input type="checkbox" name="quote" value="${s.id}" /> ${t(lang, 'mc.quoteConsent')}:
              <q lang="${language}">${excerpt(doc.text.slice(s.start, s.end), 240)}</q></label
            >`,
          )}
          <label for="general">${t(lang, 'mc.general')}</label>
          <textarea id="general" name="general" rows="3" maxlength="5000"></textarea>
          <button type="submit">${t(lang, 'mc.send')}</button>
        </form>
        <h2>${t(lang, 'mc.transcript')}</h2>
        ${codedTranscript(doc.text, segments, project.codes, language, lang)}`;
      return sendPage(request, reply, { title: t(lang, 'mc.pageTitle'), body });
    },
  );

  app.post<{ Params: { token: string }; Body: Answers }>(
    '/mc/:token',
    {
      config: publicAccess,
      schema: {
        hide: true,
        params: tokenParams,
        body: {
          type: 'object',
          maxProperties: 200,
          additionalProperties: {
            anyOf: [
              { type: 'string', maxLength: 5000 },
              { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 40 } },
            ],
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const { check, segments, themes } = await participantView(request.params.token);
      const b = request.body;
      const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
      const answers = {
        themes: Object.fromEntries(
          themes
            .filter((c) => b[`agree_${c.label}`] === 'yes' || b[`agree_${c.label}`] === 'no')
            .map((c) => [c.id, { agree: b[`agree_${c.label}`] === 'yes', comment: str(b[`comment_${c.label}`]) }]),
        ),
        quoteConsent: [b.quote ?? []].flat().filter((id) => segments.some((s) => s.id === id)),
        comment: str(b.general),
      };
      const agreed = Object.values(answers.themes).filter((a) => a.agree).length;
      const details = themes
        .filter((c) => answers.themes[c.id])
        .map(
          (c) =>
            `${c.label}: ${answers.themes[c.id]!.agree ? '+' : '−'}${answers.themes[c.id]!.comment ? ` ${answers.themes[c.id]!.comment}` : ''}`,
        )
        .concat(answers.comment ? [answers.comment] : [])
        .join('; ');
      const memo = t(lang, 'mc.memo', { agree: agreed, n: Object.keys(answers.themes).length, details });
      await answerMemberCheck(db, keyring, check, answers, memo);
      return sendPage(request, reply, {
        title: t(lang, 'mc.pageTitle'),
        body: html`<h1>${t(lang, 'mc.pageTitle')}</h1>
          <p role="status" data-testid="member-check-thanks">${t(lang, 'mc.thanks')}</p>`,
      });
    },
  );
}

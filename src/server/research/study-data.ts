/**
 * A study's data: quality flags, exports (.sav, CSV + R script, HTML codebook), analyses on the
 * dataset, and the consistency checker ("Controleer"). Every read of response data is audited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { errorNotice } from '../../web/error-texts.ts';
import { researchText as t } from '../../web/research/texts.ts';
import { sendPage } from '../pages.ts';
import { audit } from '../../store/audit.ts';
import { studyResponses, type Study } from '../../store/research.ts';
import { readSurvey } from '../../domain/research/survey.ts';
import { buildDataset, NO_ANSWER, NOT_ASKED, type Dataset } from '../../domain/research/dataset.ts';
import { qualityFlags } from '../../domain/research/quality.ts';
import { writeSav } from '../../domain/research/sav.ts';
import { writeCsv, writeRScript } from '../../domain/research/export-csv.ts';
import { checkResults, SEED000_REPORTED } from '../../domain/research/check.ts';
import {
  anovaTest,
  postHocTest,
  chiSquareTest,
  correlationTest,
  frequencies,
  groupTable,
  normTest,
  twoGroupT,
  type TestReport,
} from '../../domain/research/analyses.ts';
import { formatNumber } from '../../domain/stats/index.ts';
import { isSpiegelError, SpiegelError } from '../../domain/errors.ts';
import { ownStudy, researcherAccess, studyTitle } from './studies.ts';

export async function studyDataset(request: FastifyRequest, study: Study, action: string): Promise<Dataset> {
  const responses = await studyResponses(request.server.ctx.store.db, study.id);
  const staff = request.staff!;
  await audit(request.server.ctx.store.db, {
    orgId: staff.orgId,
    actorId: staff.userId,
    actorRole: 'researcher',
    action,
    subjectType: 'research_study',
    subjectId: study.id,
    outcome: 'ok',
    details: { responses: responses.length },
  });
  return buildDataset(readSurvey(study.questionnaire), responses, study.transformations);
}

/** The quality, export and analysis sections of the study page. */
export async function studyDataSections(request: FastifyRequest, study: Study): Promise<SafeHtml> {
  const lang = request.lang;
  const survey = readSurvey(study.questionnaire);
  const responses = await studyResponses(request.server.ctx.store.db, study.id);
  const q = qualityFlags(survey, responses);
  const flagged = q.respondents.filter((r) => r.flags.length > 0);
  const base = `/app/research/studies/${study.id}`;
  const numeric = survey.items
    .filter((i) => i.kind !== 'open')
    .map((i) => i.name)
    .concat(survey.scales.map((s) => s.id));
  const groupable = survey.items.filter((i) => i.kind === 'choice' || i.kind === 'yesno').map((i) => i.name);
  const select = (name: string, label: string, options: string[]) =>
    html`<label for="an-${name}">${label}</label
      ><select id="an-${name}" name="${name}">
        ${options.map((o) => html`<option>${o}</option>`)}
      </select>`;
  return html`<section class="card" aria-labelledby="q-h">
      <h2 id="q-h">${t(lang, 'quality.title')}</h2>
      <p>
        ${t(lang, 'quality.intro', {
          median: q.medianDurationS === null ? '–' : formatNumber(q.medianDurationS, 0, lang),
          threshold: q.speederThresholdS === null ? '–' : formatNumber(q.speederThresholdS, 0, lang),
        })}
      </p>
      ${
        flagged.length === 0
          ? html`<p>${t(lang, 'quality.none')}</p>`
          : html`<table data-testid="quality-flags">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'quality.respondent')}</th>
                  <th scope="col">${t(lang, 'quality.flags')}</th>
                </tr>
              </thead>
              <tbody>
                ${flagged.map(
                  (r) =>
                    html`<tr>
                      <td>${r.respondent}</td>
                      <td>
                        ${r.flags.map((f) => html`<span class="flag" data-flag="${f.code}">${t(lang, `flag.${f.code}`)} (${f.detail})</span> `)}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section class="card" aria-labelledby="x-h">
      <h2 id="x-h">${t(lang, 'export.title')}</h2>
      <p>${responses.length} ${t(lang, 'studies.responses')}</p>
      <ul>
        <li><a href="${base}/export.sav" data-testid="export-sav">${t(lang, 'export.sav')}</a></li>
        <li>
          <a href="${base}/export.csv">${t(lang, 'export.csv')}</a> +
          <a href="${base}/export.R">${t(lang, 'export.r')}</a>
        </li>
        <li>
          <a href="${base}/codebook">${t(lang, 'export.codebook')}</a> (<a href="${base}/codebook.pdf">PDF</a>)
        </li>
        <li><a href="${base}/redcap.csv" data-testid="export-redcap">${t(lang, 'redcap.export')}</a></li>
      </ul>
      <p><a href="${base}/paper">${t(lang, 'paper.link')}</a></p>
    </section>
    <section class="card" aria-labelledby="a-h">
      <h2 id="a-h">${t(lang, 'analysis.title')}</h2>
      <form method="get" action="${base}/analyse">
        <label for="an-test">${t(lang, 'analysis.test')}</label>
        <select id="an-test" name="test">
          ${(['welch', 'student', 'anova', 'tukey', 'games-howell', 'chisq', 'pearson', 'freq', 'table', 'norm'] as const).map((k) => html`<option value="${k}">${t(lang, `analysis.${k}`)}</option>`)}
        </select>
        ${select('y', t(lang, 'analysis.y'), numeric)} ${select('group', t(lang, 'analysis.group'), groupable)}
        <label for="an-nm">${t(lang, 'analysis.normMean')}</label><input id="an-nm" name="nm" inputmode="decimal" />
        <label for="an-nsd">${t(lang, 'analysis.normSd')}</label><input id="an-nsd" name="nsd" inputmode="decimal" />
        <label for="an-nn">${t(lang, 'analysis.normN')}</label><input id="an-nn" name="nn" inputmode="numeric" />
        <p><button type="submit" id="run-analysis">${t(lang, 'analysis.run')}</button></p>
      </form>
    </section>`;
}

function reportHtml(lang: 'nl' | 'en', r: TestReport): SafeHtml {
  return html`<p data-testid="apa"><strong>${r.test}:</strong> ${r.apa[lang]}</p>
    ${
      r.groups
        ? html`<ul>
            ${r.groups.map((g) => html`<li>${g.label}: n = ${g.n}, M = ${formatNumber(g.mean, 2, lang)}, SD = ${formatNumber(g.sd, 2, lang)}</li>`)}
          </ul>`
        : null
    }
    <ul data-testid="effects">
      ${r.effects.map((e) => html`<li>${e.name} = ${formatNumber(e.value, 2, lang)}; ${e.formula}</li>`)}
    </ul>`;
}

function postHocHtml(lang: 'nl' | 'en', r: ReturnType<typeof postHocTest>): SafeHtml {
  const f = (x: number) => formatNumber(x, 2, lang);
  return html`<p data-testid="apa"><strong>${r.method}:</strong> ${r.apa[lang]}</p>
    <table data-testid="posthoc">
      <thead>
        <tr>
          <th scope="col">${t(lang, 'analysis.pair')}</th>
          <th scope="col">${t(lang, 'analysis.diff')}</th>
          <th scope="col">${t(lang, 'analysis.ci')}</th>
          <th scope="col">${t(lang, 'analysis.padj')}</th>
        </tr>
      </thead>
      <tbody>
        ${r.comparisons.map(
          (c) =>
            html`<tr>
              <th scope="row">${c.b} − ${c.a}</th>
              <td>${f(c.diff)}</td>
              <td>[${f(c.lwr)}; ${f(c.upr)}]</td>
              <td>${formatNumber(c.p, 4, lang)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

const num = (v: string | undefined) => Number(String(v ?? '').replace(',', '.'));

export function registerStudyDataRoutes(app: FastifyInstance): void {
  const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;

  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/export.sav',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const data = await studyDataset(request, study, 'research.export.sav');
      return reply
        .type('application/x-spss-sav')
        .header('content-disposition', 'attachment; filename="study.sav"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(writeSav(data, { label: study.title })));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/export.csv',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const data = await studyDataset(request, study, 'research.export.csv');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="study.csv"')
        .header('cache-control', 'no-store')
        .send(writeCsv(data));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/export.R',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const survey = readSurvey(study.questionnaire);
      const data = buildDataset(survey, [], study.transformations);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', 'attachment; filename="study.R"')
        .send(writeRScript(data, 'study.csv'));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/codebook',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const survey = readSurvey(study.questionnaire);
      const data = buildDataset(survey, [], study.transformations);
      // Labels and value labels are the study's own text, in the survey's language.
      const own = (text: string) => inLanguage(text, study.questionnaire.language ?? 'nl', lang);
      const missingText = (value: number) =>
        value === NOT_ASKED ? t(lang, 'codebook.notAsked') : value === NO_ANSWER ? t(lang, 'codebook.noAnswer') : '';
      const body = html`<h1>${t(lang, 'export.codebook')}: ${studyTitle(study, lang)}</h1>
        <table data-testid="codebook">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'codebook.variable')}</th>
              <th scope="col">${t(lang, 'codebook.label')}</th>
              <th scope="col">${t(lang, 'codebook.type')}</th>
              <th scope="col">${t(lang, 'codebook.values')}</th>
              <th scope="col">${t(lang, 'codebook.missing')}</th>
              <th scope="col">${t(lang, 'codebook.derivation')}</th>
            </tr>
          </thead>
          <tbody>
            ${data.variables.map(
              (v) =>
                html`<tr>
                  <th scope="row"><code>${v.name}</code></th>
                  <td>${own(v.label)}</td>
                  <td>${t(lang, `codebook.type.${v.type}`)}, ${t(lang, `codebook.measure.${v.measure}`)}</td>
                  <td>
                    ${v.valueLabels
                      .filter((l) => !v.missing.includes(l.value))
                      .map((l) => html`${l.value} = ${own(l.label)}<br />`)}
                  </td>
                  <td>${v.missing.map((m) => html`${m} = ${missingText(m)}<br />`)}</td>
                  <td>${v.derivation ? html`<code>${v.derivation}</code>` : ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
      return sendPage(request, reply, { title: t(lang, 'export.codebook'), body, path: '/app/research/studies' });
    },
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>(
    '/app/research/studies/:id/analyse',
    {
      config: researcherAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: { type: 'object', additionalProperties: { type: 'string', maxLength: 40 } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const data = await studyDataset(request, study, 'research.analyse');
      const q = request.query;
      const query = new URLSearchParams(q).toString();
      let result: SafeHtml;
      try {
        const y = q.y ?? '';
        const group = q.group ?? '';
        const levels = () => {
          const values = groupTable(data, [group], group, 0).groups.map((g) => g.value);
          if (values.length < 2) throw new SpiegelError('INSUFFICIENT_DATA', `'${group}' has fewer than two groups.`);
          return values;
        };
        if (q.test === 'welch' || q.test === 'student') {
          const [a, b] = levels();
          result = reportHtml(lang, twoGroupT(data, y, group, a, b, q.test));
        } else if (q.test === 'anova') result = reportHtml(lang, anovaTest(data, y, group));
        else if (q.test === 'tukey' || q.test === 'games-howell')
          result = postHocHtml(lang, postHocTest(data, y, group, q.test));
        else if (q.test === 'chisq') result = reportHtml(lang, chiSquareTest(data, y, group));
        else if (q.test === 'pearson') result = reportHtml(lang, correlationTest(data, y, group));
        else if (q.test === 'norm')
          result = reportHtml(lang, normTest(data, y, { mean: num(q.nm), sd: num(q.nsd), n: num(q.nn) }));
        else if (q.test === 'table') {
          const tb = groupTable(data, [y], group, 1);
          const cell = (c: { n: number; pct: number | null; suppressed: boolean }) =>
            c.suppressed ? '·' : `${c.n} / ${c.pct === null ? '–' : formatNumber(c.pct, 1, lang)}%`;
          result = html`<table data-testid="group-table">
              <thead>
                <tr>
                  <th scope="col"></th>
                  ${tb.groups.map((g) => html`<th scope="col">${g.label} N / %</th>`)}
                  <th scope="col">${lang === 'nl' ? 'Totaal' : 'Total'} N / %</th>
                </tr>
              </thead>
              <tbody>
                ${tb.rows.map(
                  (r) =>
                    html`<tr>
                      <th scope="row">${r.label}</th>
                      ${r.cells.map((c) => html`<td>${cell(c)}</td>`)}
                      <td>${cell(r.total)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${tb.protected ? html`<p class="muted">${t(lang, 'analysis.suppressed')}</p>` : null}`;
        } else {
          const f = frequencies(data, y);
          result = html`<table data-testid="frequencies">
            <caption>
              ${f.label} (${lang === 'nl' ? 'geldige N' : 'valid N'} = ${f.validN})
            </caption>
            <tbody>
              ${f.rows.map(
                (r) =>
                  html`<tr>
                    <th scope="row">${r.label}</th>
                    <td>${r.n}</td>
                    <td>${formatNumber(r.pct, 1, lang)}%</td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
        }
      } catch (error) {
        if (!isSpiegelError(error)) throw error;
        result = errorNotice(lang, error);
      }
      const body = html`<h1>${t(lang, 'analysis.result')}: ${studyTitle(study, lang)}</h1>
        <section class="card" data-testid="analysis-result">${result}</section>
        <p>
          <a href="/app/research/studies/${study.id}/table.xlsx?${query}" data-testid="table-xlsx">${t(lang, 'analysis.xlsx')}</a>
          · <a href="/app/research/studies/${study.id}/table.docx?${query}" data-testid="table-docx">${t(lang, 'analysis.docx')}</a>
        </p>
        <p><a href="/app/research/studies/${study.id}">${studyTitle(study, lang)}</a></p>`;
      return sendPage(request, reply, { title: t(lang, 'analysis.result'), body, path: '/app/research/studies' });
    },
  );

  const checkPage = (request: FastifyRequest, reply: import('fastify').FastifyReply, input: string) => {
    const lang = request.lang;
    let result: SafeHtml = html``;
    try {
      const rows = checkResults(JSON.parse(input));
      result = html`<table data-testid="check-results">
        <thead>
          <tr>
            <th scope="col">${t(lang, 'check.label')}</th>
            <th scope="col">${t(lang, 'check.verdict')}</th>
            <th scope="col">${t(lang, 'check.detail')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr data-consistent="${String(r.consistent)}">
                <th scope="row">${r.id}</th>
                <td>${r.consistent === null ? '–' : r.consistent ? t(lang, 'check.ok') : t(lang, 'check.bad')}</td>
                <td>${r.message[lang]}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    } catch (error) {
      if (isSpiegelError(error)) result = errorNotice(lang, error);
      else if (error instanceof SyntaxError)
        result = errorNotice(lang, new SpiegelError('STATS_INPUT_INVALID', `JSON: ${error.message}`));
      else throw error;
    }
    const body = html`<h1>${t(lang, 'check.title')}</h1>
      <p>${t(lang, 'check.intro')}</p>
      <form method="post" action="/app/research/check">
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        <label for="check-input">${t(lang, 'check.input')}</label>
        <textarea id="check-input" name="input" rows="12">${input}</textarea>
        <p><button type="submit">${t(lang, 'check.run')}</button></p>
      </form>
      ${result}`;
    return sendPage(request, reply, { title: t(lang, 'check.title'), body, path: '/app/research/studies' });
  };
  app.get('/app/research/check', { config: researcherAccess, schema: { hide: true } }, (request, reply) =>
    checkPage(request, reply, JSON.stringify(SEED000_REPORTED, null, 1)),
  );
  app.post<{ Body: { input: string } }>(
    '/app/research/check',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['input'],
          properties: { _csrf: { type: 'string' }, input: { type: 'string', maxLength: 100000 } },
        },
      },
    },
    (request, reply) => checkPage(request, reply, request.body.input),
  );
}

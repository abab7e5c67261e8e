import type { FastifyInstance } from 'fastify';
import { isSpiegelError, type SpiegelError } from '../../domain/errors.ts';
import { codedThemes } from '../../domain/qual/report.ts';
import { parseQuery, retrieve } from '../../domain/qual/retrieval.ts';
import { codeAttributeMatrix } from '../../domain/qual/tables.ts';
import { CONSENSUS } from '../../domain/qual/types.ts';
import { errorNotice } from '../../web/error-texts.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { formatNumber, type Lang } from '../../web/i18n.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { excerpt } from './coding.ts';
import { codeTitle, idParams, investigatorAccess, member, qualActor, short } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

const KNOWN_ATTRIBUTES = ['profession', 'gender', 'age_band', 'experience_band'] as const;

/** The attributes Spiegel asks for by their name; others (from an imported project) as they are. */
function attributeName(lang: Lang, name: string): string {
  return (KNOWN_ATTRIBUTES as readonly string[]).includes(name)
    ? t(lang, `attribute.${name as (typeof KNOWN_ATTRIBUTES)[number]}`)
    : name;
}

/** Boolean retrieval over the cases (AND/OR/NOT) and the code × attribute matrix of one layer. */
export function registerQualExploreRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get<{ Params: { id: string }; Querystring: { q?: string; attribute?: string; layer?: string } }>(
    '/app/qual/:id/explore',
    {
      config: investigatorAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: { type: 'object', properties: { q: short(500), attribute: short(100), layer: short(40) } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const layer = request.query.layer ?? CONSENSUS;
      const segments = project.segments.filter((s) => s.coderId === layer);
      const themes = codedThemes(project);
      const byId = new Map(project.codes.map((c) => [c.id, c]));
      const attributes = [...new Set(project.documents.flatMap((d) => Object.keys(d.attributes)))].sort();
      const attribute = request.query.attribute ?? attributes[0];
      const q = request.query.q?.trim() ?? '';
      let results: SafeHtml | null = null;
      if (q) {
        try {
          const found = retrieve(
            parseQuery(q),
            themes,
            project.documents.map((d) => d.id),
            segments,
          );
          const labels = project.documents.filter((d) => found.documentIds.includes(d.id)).map((d) => d.caseLabel);
          results = html`<section aria-labelledby="results-h" data-testid="retrieval">
            <h2 id="results-h">
              ${labels.length ? t(lang, 'explore.cases', { n: labels.length, list: labels.join(', ') }) : t(lang, 'explore.none')}
            </h2>
            <ul>
              ${found.segments.slice(0, 200).map((s) => {
                const doc = project.documents.find((d) => d.id === s.documentId)!;
                return html`<li>
                  <strong>${doc.caseLabel}</strong>, ${codeTitle(byId.get(s.codeId)!, access.language, lang)}:
                  <q lang="${access.language}">${excerpt(doc.text.slice(s.start, s.end), 240)}</q>
                </li>`;
              })}
            </ul>
          </section>`;
        } catch (error) {
          if (!isSpiegelError(error)) throw error;
          results = errorNotice(lang, error as SpiegelError);
        }
      }
      const matrix = attribute ? codeAttributeMatrix(themes, project.documents, segments, attribute) : null;
      const base = `/app/qual/${access.id}`;
      const body = html`<p><a href="${base}">${inLanguage(project.name, access.language, lang)}</a></p>
        <h1>${t(lang, 'explore.title')}</h1>
        <form method="get" action="${base}/explore">
          <input type="hidden" name="layer" value="${layer}" />
          <label for="q">${t(lang, 'explore.query')} <code>1A AND (1B OR NOT 2A)</code></label>
          <p class="muted"><code>AND</code> · <code>OR</code> · <code>NOT</code></p>
          <input id="q" name="q" value="${q}" maxlength="500" />
          ${
            attributes.length
              ? html`<label for="attribute">${t(lang, 'explore.attribute')}</label>
                <select id="attribute" name="attribute">
                  ${attributes.map(
                    (a) =>
                      html`<option value="${a}" ${a === attribute ? html`selected` : null}>
                        ${attributeName(lang, a)}
                      </option>`,
                  )}
                </select>`
              : null
          }
          <button type="submit">${t(lang, 'explore.search')}</button>
        </form>
        ${results}
        ${
          matrix
            ? html`<h2>${t(lang, 'explore.matrix', { attribute: attributeName(lang, attribute!) })}</h2>
              <table data-testid="code-attribute">
                <thead>
                  <tr>
                    <th scope="col">${t(lang, 'codebook.name')}</th>
                    ${matrix.values.map(
                      (v, i) =>
                        html`<th scope="col"><span lang="${access.language}">${v || '—'}</span> (n = ${formatNumber(lang, matrix.rows[0]?.totals[i] ?? 0, 0)})</th>`,
                    )}
                  </tr>
                </thead>
                <tbody>
                  ${matrix.rows.map(
                    (r) =>
                      html`<tr>
                        <th scope="row">${codeTitle(byId.get(r.codeId)!, access.language, lang)}</th>
                        ${r.cases.map((n) => html`<td>${formatNumber(lang, n, 0)}</td>`)}
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : null
        }`;
      return sendPage(request, reply, { title: t(lang, 'explore.title'), body });
    },
  );
}

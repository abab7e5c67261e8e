import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import type { AgreementUnit } from '../../domain/qual/agreement.ts';
import { codeDocumentCsv, presenceCsv, presenceSps } from '../../domain/qual/exports.ts';
import { exportQdpx } from '../../domain/qual/refi.ts';
import { agreementReport, codedThemes } from '../../domain/qual/report.ts';
import { codeDocumentTable, coOccurrence, saturation } from '../../domain/qual/tables.ts';
import { CONSENSUS } from '../../domain/qual/types.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { formatNumber, type Lang } from '../../web/i18n.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { codeTitle, idParams, investigatorAccess, member, memberAccess, qualActor } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

type AgreementQuery = { unit?: 'character' | 'all' | 'presence' | 'segment'; threshold?: string };

function unitOf(q: AgreementQuery): AgreementUnit {
  if (q.unit === 'presence') return { kind: 'presence' };
  if (q.unit === 'segment') {
    const threshold = Number((q.threshold ?? '0.5').replace(',', '.'));
    if (!(threshold > 0 && threshold <= 1))
      throw new SpiegelError('VALIDATION_FAILED', 'The overlap lies above 0, at most 1.');
    return { kind: 'segment', threshold };
  }
  return { kind: 'character', excludeUncoded: q.unit !== 'all' };
}

/** A plain table: column headings, then rows whose first cell heads the row. */
function rowTable(testId: string, headings: string[], rows: (string | SafeHtml)[][]): SafeHtml {
  return html`<table data-testid="${testId}">
    <thead>
      <tr>
        ${headings.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        ([head, ...cells]) =>
          html`<tr>
            <th scope="row">${head}</th>
            ${cells.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const stat = (lang: Lang, x: number | null, digits = 3) => (x === null ? '—' : formatNumber(lang, x, digits));

/** Agreement, the code × document table with co-occurrence and saturation, and the project's files. */
export function registerQualAnalysisRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get<{ Params: { id: string }; Querystring: AgreementQuery }>(
    '/app/qual/:id/agreement',
    {
      config: memberAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            unit: { type: 'string', enum: ['character', 'all', 'presence', 'segment'] },
            threshold: { type: 'string', maxLength: 10 },
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id);
      // Coders see agreement only after unblinding: before that it would hint at the others' coding.
      if (access.blinded && access.role !== 'investigator') throw new SpiegelError('QUAL_BLINDED');
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const unit = unitOf(request.query);
      const chosen = request.query.unit ?? 'character';
      const unitText =
        unit.kind === 'segment'
          ? t(lang, 'agree.unit.segment', { t: formatNumber(lang, unit.threshold) })
          : unit.kind === 'presence'
            ? t(lang, 'agree.unit.presence')
            : t(lang, unit.excludeUncoded ? 'agree.unit.character' : 'agree.unit.characterAll');
      const report = project.coders.length >= 2 ? agreementReport(project, unit, {}) : null;
      const byId = new Map(project.codes.map((c) => [c.id, c]));
      const option = (value: string, label: string) =>
        html`<option value="${value}" ${chosen === value ? html`selected` : null}>${label}</option>`;
      const body = html`<p><a href="/app/qual/${access.id}">${inLanguage(project.name, access.language, lang)}</a></p>
        <h1>${t(lang, 'agree.title')}</h1>
        <form method="get" action="/app/qual/${access.id}/agreement" class="inline-form">
          <label for="unit">${t(lang, 'agree.unit')}</label>
          <select id="unit" name="unit">
            ${option('character', t(lang, 'agree.unit.character'))} ${option('all', t(lang, 'agree.unit.characterAll'))}
            ${option('presence', t(lang, 'agree.unit.presence'))}
            ${option('segment', t(lang, 'agree.unit.segment', { t: '…' }))}
          </select>
          ${
            // The overlap belongs to the passage unit only: offered once that unit is shown (0.5 until then).
            unit.kind === 'segment'
              ? html`<label for="threshold">${t(lang, 'agree.threshold')}</label>
                  <input
                    id="threshold"
                    name="threshold"
                    inputmode="decimal"
                    value="${request.query.threshold ?? formatNumber(lang, 0.5)}"
                  />`
              : null
          }
          <button type="submit">${t(lang, 'agree.show')}</button>
        </form>
        ${
          report
            ? html`<p data-testid="agreement-unit">
                ${t(lang, 'agree.unit')}: ${unitText}.
                ${t(lang, 'agree.coders', { names: report.coders.map((c) => c.name).join(', ') })}
              </p>
              <table data-testid="agreement">
                <thead>
                  <tr>
                    <th scope="col">${t(lang, 'codebook.name')}</th>
                    <th scope="col">${t(lang, 'agree.units')}</th>
                    <th scope="col">${t(lang, 'agree.percent')}</th>
                    <th scope="col">${t(lang, 'agree.kappa')}</th>
                    <th scope="col">${t(lang, 'agree.alpha')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${report.perCode.map(
                    (c) =>
                      html`<tr>
                        <th scope="row">${codeTitle(byId.get(c.codeId)!, access.language, lang)}</th>
                        <td>${formatNumber(lang, c.units, 0)}</td>
                        <td>${c.percent === null ? '—' : formatNumber(lang, 100 * c.percent, 1)}</td>
                        <td>${stat(lang, c.kappa)}</td>
                        <td>${stat(lang, c.alpha)}</td>
                      </tr>`,
                  )}
                  <tr data-testid="agreement-pooled">
                    <th scope="row">${t(lang, 'agree.pooled')}</th>
                    <td></td>
                    <td>${report.pooled.percent === null ? '—' : formatNumber(lang, 100 * report.pooled.percent, 1)}</td>
                    <td>${stat(lang, report.pooled.kappa)}</td>
                    <td>${stat(lang, report.pooled.alpha)}</td>
                  </tr>
                </tbody>
              </table>
              <p class="muted">${t(lang, 'agree.method')}</p>`
            : html`<p>${t(lang, 'agree.tooFew')}</p>`
        }`;
      return sendPage(request, reply, { title: t(lang, 'agree.title'), body });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { layer?: string } }>(
    '/app/qual/:id/table',
    {
      config: investigatorAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: { type: 'object', properties: { layer: { type: 'string', maxLength: 40 } } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const layer = request.query.layer ?? CONSENSUS;
      const segments = project.segments.filter((s) => s.coderId === layer);
      const themes = codedThemes(project);
      const rows = codeDocumentTable(themes, project.documents, segments);
      const byId = new Map(project.codes.map((c) => [c.id, c]));
      const title = (id: string) => codeTitle(byId.get(id)!, access.language, lang);
      const small = rows.filter((r) => r.n > 0 && r.n <= 2).length;
      const base = `/app/qual/${access.id}`;
      const layers = [{ id: CONSENSUS, name: t(lang, 'table.consensus') }, ...project.coders];
      const body = html`<p><a href="${base}">${inLanguage(project.name, access.language, lang)}</a></p>
        <h1>${t(lang, 'table.title')}</h1>
        <form method="get" action="${base}/table" class="inline-form">
          <label for="layer">${t(lang, 'table.layer')}</label>
          <select id="layer" name="layer">
            ${layers.map((l) => html`<option value="${l.id}" ${l.id === layer ? html`selected` : null}>${l.name}</option>`)}
          </select>
          <button type="submit">${t(lang, 'agree.show')}</button>
        </form>
        ${small ? html`<p class="notice" role="note">${t(lang, 'table.small', { n: small })}</p>` : null}
        <table data-testid="code-document-table">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'codebook.name')}</th>
              <th scope="col">${t(lang, 'table.frequency')}</th>
              <th scope="col">${t(lang, 'table.n')}</th>
              ${project.documents.map((d) => html`<th scope="col">${d.caseLabel}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <th scope="row">${title(r.codeId)}</th>
                  <td>${formatNumber(lang, r.frequency, 0)}</td>
                  <td>${formatNumber(lang, r.n, 0)}</td>
                  ${r.perDocument.map((x) => html`<td>${x ? formatNumber(lang, x, 0) : ''}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
        <ul>
          <li><a href="${base}/table.csv?layer=${encodeURIComponent(layer)}">${t(lang, 'table.csv')}</a></li>
          <li><a href="${base}/presence.csv?layer=${encodeURIComponent(layer)}">${t(lang, 'table.presence')}</a></li>
          <li><a href="${base}/presence.sps">${t(lang, 'table.sps')}</a></li>
        </ul>
        <h2>${t(lang, 'table.cooccurrence')}</h2>
        ${rowTable(
          'cooccurrence',
          [t(lang, 'table.pair'), t(lang, 'table.count'), t(lang, 'table.jaccard')],
          coOccurrence(themes, segments).map((p) => [
            html`${byId.get(p.a)?.label} + ${byId.get(p.b)?.label}`,
            formatNumber(lang, p.count, 0),
            formatNumber(lang, p.jaccard, 3),
          ]),
        )}
        <h2>${t(lang, 'table.saturation')}</h2>
        ${rowTable(
          'saturation',
          [t(lang, 'cons.case'), t(lang, 'table.new'), t(lang, 'table.cumulative')],
          saturation(project.documents, segments).map((r) => [
            r.caseLabel,
            formatNumber(lang, r.newCodes, 0),
            formatNumber(lang, r.cumulative, 0),
          ]),
        )}`;
      return sendPage(request, reply, { title: t(lang, 'table.title'), body });
    },
  );

  const FILES = ['table.csv', 'presence.csv', 'presence.sps', 'export.qdpx'] as const;
  for (const file of FILES)
    app.get<{ Params: { id: string }; Querystring: { layer?: string } }>(
      `/app/qual/:id/${file}`,
      {
        config: investigatorAccess,
        schema: {
          hide: true,
          params: idParams,
          querystring: { type: 'object', properties: { layer: { type: 'string', maxLength: 40 } } },
        },
      },
      async (request, reply) => {
        const access = await member(request, request.params.id, ['investigator']);
        const project = await loadProject(db, keyring, qualActor(request), access.id);
        const layer = request.query.layer ?? CONSENSUS;
        const segments = project.segments.filter((s) => s.coderId === layer);
        const themes = codedThemes(project);
        const send = (type: string, name: string, content: string | Uint8Array) =>
          reply
            .type(type)
            .header('content-disposition', `attachment; filename="${name}"`)
            .header('cache-control', 'no-store')
            .send(typeof content === 'string' ? content : Buffer.from(content));
        if (file === 'export.qdpx') return send('application/zip', 'project.qdpx', exportQdpx(project));
        if (file === 'presence.sps')
          return send('text/plain; charset=utf-8', 'presence.sps', presenceSps(themes, 'presence.csv'));
        if (file === 'presence.csv')
          return send('text/csv; charset=utf-8', 'presence.csv', presenceCsv(themes, project.documents, segments));
        const rows = codeDocumentTable(themes, project.documents, segments);
        return send('text/csv; charset=utf-8', 'themes.csv', codeDocumentCsv(rows, request.lang));
      },
    );
}

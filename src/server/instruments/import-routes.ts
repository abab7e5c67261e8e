import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { errorText } from '../../web/error-texts.ts';
import { isSpiegelError } from '../../domain/errors.ts';
import { importRefusal, type ImportReport } from '../../domain/instruments/org-import.ts';
import { sendPage } from '../pages.ts';
import { instrumentText as text } from './texts.ts';
import { checkInstrumentUpload, importInstrument } from './import-service.ts';

const PATH = '/app/admin/instruments/import';

function uploadForm(lang: Lang, csrf: string, content = ''): SafeHtml {
  return html`<form method="post" action="${PATH}" data-testid="instrument-upload">
    <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="step" value="check" />
    <label for="questionnaire-file">${text(lang, 'file')}</label>
    <input type="file" id="questionnaire-file" accept=".json,application/json,application/fhir+json" />
    <label for="questionnaire-text">${text(lang, 'pasted')}</label>
    <textarea id="questionnaire-text" name="questionnaire" rows="8" required>${content}</textarea>
    <button type="submit">${text(lang, 'check')}</button>
  </form>`;
}

/** The validation report: every finding with its JSON-pointer path, then the licence check. */
export function reportView(lang: Lang, report: ImportReport): SafeHtml {
  const issues = report.issues;
  // Findings are technical English from the validator; marked as such on a Dutch page (WCAG 3.1.2).
  const reasonLang = lang === 'en' ? null : 'en';
  return html`<section data-testid="import-report">
    ${report.instrumentId
      ? html`<p>
          <strong>${report.instrumentId}</strong>${report.title ? html` · <span lang="${reasonLang ?? 'en'}">${report.title}</span>` : null}<br />
          ${report.kind === 'translation'
            ? text(lang, 'kindTranslation', { id: report.instrumentId })
            : text(lang, 'kindQuestionnaire')},
          ${report.scored ? text(lang, 'scored') : text(lang, 'unscored')}
        </p>`
      : null}
    ${report.translations.length
      ? html`<h3>${text(lang, 'translationsHeading')}</h3>
          <ul data-testid="import-translations">
            ${report.translations.map(
              (t) =>
                html`<li>
                  ${t.lang === 'nl' || t.lang === 'en' ? text(lang, `lang.${t.lang}`) : t.lang}:
                  ${text(lang, `translation.${t.status}`)};
                  ${t.source ? text(lang, 'source', { source: t.source }) : text(lang, 'noSource')}
                </li>`,
            )}
          </ul>`
      : null}
    <h3>${text(lang, 'licenceCheck')}</h3>
    <p data-testid="import-licence">
      ${report.licence.text ?? text(lang, 'noLicence')}
      ${report.licence.restrictions.length
        ? html`<br /><span class="muted"
              >${report.licence.restrictions.map((r) => text(lang, `restriction.${r}`)).join('; ')}</span
            >`
        : null}
      ${report.licence.acknowledgementRequired ? null : html`<br />${text(lang, 'licenceFree')}`}
    </p>
    <h3>${text(lang, 'issuesHeading')}</h3>
    ${issues.length === 0
      ? html`<p>${text(lang, 'noIssues')}</p>`
      : html`<table data-testid="import-issues">
          <thead>
            <tr>
              <th scope="col">${text(lang, 'severity')}</th>
              <th scope="col">${text(lang, 'path')}</th>
              <th scope="col">${text(lang, 'code')}</th>
              <th scope="col">${text(lang, 'reason')}</th>
            </tr>
          </thead>
          <tbody>
            ${issues.slice(0, 200).map(
              (i) =>
                html`<tr>
                  <td>${text(lang, `severity.${i.severity}`)}</td>
                  <td><code>${i.path || '/'}</code></td>
                  <td><code>${i.code}</code></td>
                  <td ${reasonLang ? html`lang="${reasonLang}"` : null}>${i.reason}</td>
                </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`;
}

function storeForm(lang: Lang, csrf: string, content: string, report: ImportReport): SafeHtml {
  return html`<form method="post" action="${PATH}" data-testid="instrument-store">
    <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="step" value="store" />
    <textarea name="questionnaire" hidden>${content}</textarea>
    ${report.licence.acknowledgementRequired
      ? html`<label class="check"
          ><input type="checkbox" name="acknowledge" value="true" required />
          ${text(lang, 'acknowledge')} <span lang="en">${report.licence.text ?? ''}</span></label
        >`
      : null}
    <button type="submit">${text(lang, 'store')}</button>
  </form>`;
}

function send(request: FastifyRequest, reply: FastifyReply, body: SafeHtml, status = 200): FastifyReply {
  const lang = request.lang;
  return sendPage(request, reply, {
    title: text(lang, 'importTitle'),
    body: html`<h1>${text(lang, 'importTitle')}</h1>
      ${body}
      <p><a href="/app/admin/instruments">${text(lang, 'back')}</a></p>`,
    path: PATH,
    status,
    scripts: ['/static/instrument-import.js'],
  });
}

/** Admin: upload a FHIR R4 Questionnaire, read the report and the licence, then store it. */
export function registerInstrumentImport(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const access = { access: { kind: 'staff' as const, roles: ['admin' as const] } };

  app.get(PATH, { config: access, schema: { hide: true } }, async (request, reply) => {
    const lang = request.lang;
    return send(request, reply, html`<p>${text(lang, 'importIntro')}</p>${uploadForm(lang, reply.generateCsrf())}`);
  });

  app.post<{ Body: { questionnaire: string; step: 'check' | 'store'; acknowledge?: 'true' } }>(
    PATH,
    {
      config: access,
      preValidation: app.csrfProtection,
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['questionnaire', 'step'],
          properties: {
            questionnaire: { type: 'string', maxLength: 3 * 1024 * 1024 },
            step: { type: 'string', enum: ['check', 'store'] },
            acknowledge: { type: 'string', enum: ['true'] },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const csrf = reply.generateCsrf();
      const content = request.body.questionnaire;
      const refusedView = (code: Parameters<typeof errorText>[1], report: ImportReport) =>
        html`<p class="error" role="alert" data-testid="import-refused" data-code="${code}">
            ${text(lang, 'refused', { code, message: errorText(lang, code) })}
          </p>
          ${reportView(lang, report)}${uploadForm(lang, csrf, content)}`;
      if (request.body.step === 'check') {
        const report = checkInstrumentUpload(content, app.ctx.instruments);
        const refusal = importRefusal(report, true);
        if (refusal) return send(request, reply, refusedView(refusal.code, report), refusal.status);
        return send(
          request,
          reply,
          html`<p role="status" data-testid="import-passed">${text(lang, 'passed')}</p>
            ${reportView(lang, report)}${storeForm(lang, csrf, content, report)}`,
        );
      }
      const staff = request.staff!;
      try {
        const { stored } = await importInstrument(
          db,
          app.ctx.instruments,
          { orgId: staff.orgId, userId: staff.userId, role: staff.roles.join(','), ip: request.ip },
          content,
          request.body.acknowledge === 'true',
        );
        const done = stored.created ? 'stored' : 'unchanged';
        return reply.redirect(
          `/app/admin/instruments?${done}=${encodeURIComponent(stored.instrumentId)}&version=${stored.version}`,
          303,
        );
      } catch (error) {
        if (!isSpiegelError(error)) throw error;
        const report = checkInstrumentUpload(content, app.ctx.instruments);
        return send(request, reply, refusedView(error.code, report), error.status);
      }
    },
  );
}

import { orderedCodes, type QualProject } from '../../domain/qual/types.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { formatNumber, type Lang } from '../../web/i18n.ts';
import { codeTitle, swatch } from './common.ts';
import { qualText as t } from './texts.ts';

/** The parts of a project's page: its cases, the import forms, the codebook and blinding. */

export function casesTable(lang: Lang, project: QualProject, mine: QualProject['segments'], id: string): SafeHtml {
  if (!project.documents.length) return html`<p>${t(lang, 'project.noCases')}</p>`;
  return html`<table data-testid="qual-cases">
    <thead>
      <tr>
        <th scope="col">${t(lang, 'project.case')}</th>
        <th scope="col">${t(lang, 'project.attributes')}</th>
        <th scope="col">${t(lang, 'project.length')}</th>
        <th scope="col">${t(lang, 'project.yourSegments')}</th>
        <th scope="col"><span class="visually-hidden">${t(lang, 'project.code')}</span></th>
      </tr>
    </thead>
    <tbody>
      ${project.documents.map(
        (d) =>
          html`<tr>
            <th scope="row">${d.caseLabel}</th>
            <td>${Object.values(d.attributes).join(' · ')}</td>
            <td>${formatNumber(lang, d.text.length)}</td>
            <td>${formatNumber(lang, mine.filter((s) => s.documentId === d.id).length)}</td>
            <td><a href="/app/qual/${id}/code?case=${encodeURIComponent(d.caseLabel)}">${t(lang, 'project.code')}</a></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function importForm(lang: Lang, id: string, csrf: string): SafeHtml {
  const field = (name: string, key: Parameters<typeof t>[1]) =>
    html`<label for="doc-${name}">${t(lang, key)}</label><input id="doc-${name}" name="${name}" maxlength="100" />`;
  return html`<section class="card" aria-labelledby="import-h">
    <h2 id="import-h">${t(lang, 'import.title')}</h2>
    <form method="post" action="/app/qual/${id}/documents" data-testid="qual-import">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="doc-file">${t(lang, 'import.file')}</label>
      <input type="file" id="doc-file" accept=".txt,.docx,.vtt,.srt" data-text="doc-text" data-binary="doc-docx" data-name="doc-filename" />
      <input type="hidden" id="doc-docx" name="docx" /><input type="hidden" id="doc-filename" name="fileName" />
      <label for="doc-text">${t(lang, 'import.pasted')}</label>
      <textarea id="doc-text" name="text" rows="4"></textarea>
      <label for="doc-case">${t(lang, 'import.case')}</label>
      <input id="doc-case" name="case" required pattern="[A-Za-z0-9_\\-]{1,20}" />
      ${field('profession', 'import.profession')} ${field('gender', 'import.gender')} ${field('age_band', 'import.age')}
      ${field('experience_band', 'import.experience')}
      <button type="submit">${t(lang, 'import.submit')}</button>
    </form>
  </section>`;
}

export function codebookTable(lang: Lang, project: QualProject, textLang: string, editable: boolean): SafeHtml {
  if (!project.codes.length) return html`<p>${t(lang, 'codebook.none')}</p>`;
  const byId = new Map(project.codes.map((c) => [c.id, c]));
  return html`<table data-testid="qual-codebook">
    <thead>
      <tr>
        <th scope="col">${t(lang, 'codebook.name')}</th>
        <th scope="col">${t(lang, 'codebook.definition')}</th>
        <th scope="col">${t(lang, 'codebook.equivalent')}</th>
      </tr>
    </thead>
    <tbody>
      ${orderedCodes(project.codes).map(
        (c) =>
          html`<tr>
            <th scope="row">
              ${swatch(c.colour)}
              ${
                editable
                  ? html`<a href="/app/qual/${project.id}/codes/${encodeURIComponent(c.label)}">${codeTitle(c, textLang, lang)}</a>`
                  : codeTitle(c, textLang, lang)
              }
            </th>
            <td>${c.definition ? inLanguage(c.definition, textLang, lang) : ''}</td>
            <td>${c.equivalentTo ? byId.get(c.equivalentTo)?.label : ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function codebookForm(lang: Lang, id: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/app/qual/${id}/codebook" data-testid="qual-codebook-import">
    <input type="hidden" name="_csrf" value="${csrf}" />
    <label for="codebook-file">${t(lang, 'codebook.import')}</label>
    <input type="file" id="codebook-file" accept=".qdc,.csv,.xml" data-text="codebook-content" data-name="codebook-filename" />
    <input type="hidden" id="codebook-filename" name="fileName" />
    <label for="codebook-content">${t(lang, 'codebook.content')}</label>
    <textarea id="codebook-content" name="content" rows="3" required></textarea>
    <button type="submit">${t(lang, 'codebook.submit')}</button>
  </form>`;
}

export function blindingSection(lang: Lang, id: string, blinded: boolean, csrf: string): SafeHtml {
  return html`<section aria-labelledby="blind-h">
    <h2 id="blind-h">${t(lang, 'blind.title')}</h2>
    <p>${t(lang, blinded ? 'blind.on' : 'blind.off')}</p>
    <form method="post" action="/app/qual/${id}/blinding">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="blinded" value="${blinded ? 'false' : 'true'}" />
      <button type="submit">${t(lang, blinded ? 'blind.unblind' : 'blind.reblind')}</button>
    </form>
  </section>`;
}

import type { FastifyReply } from 'fastify';
import type { FrameMode } from '../../domain/reflection/appreciation-frame.ts';
import { INDIVIDUAL_ADAPTATION_NOTE } from '../../domain/reflection/appreciation-frame.ts';
import { formatDate } from '../../domain/reflection/format.ts';
import {
  journalTemplate,
  TEMPLATE_IDS,
  type JournalEntryContent,
  type JournalTemplate,
  type TemplateId,
} from '../../domain/reflection/journal.ts';
import type { JournalEntry } from '../../store/reflection-journal.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { csrfField, privateNote } from './page.ts';
import { rt } from './texts.ts';
import { jt } from './texts-more.ts';

/** The journal's list with search, the entry form (per template) and the entry view. */

function newLinks(lang: Lang): SafeHtml {
  const links: Array<[string, string]> = [];
  for (const id of TEMPLATE_IDS) {
    if (id === 'appreciation') {
      links.push([
        `/app/journal/new?template=appreciation&mode=individual`,
        jt(lang, 'journal.appreciation.individual'),
      ]);
      links.push([`/app/journal/new?template=appreciation&mode=group`, jt(lang, 'journal.appreciation.group')]);
    } else links.push([`/app/journal/new?template=${id}`, journalTemplate(id).title[lang]]);
  }
  return html`<ul class="template-links">
    ${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
  </ul>`;
}

export function listBody(
  lang: Lang,
  input: { entries: JournalEntry[]; tags: string[]; query: string; tag: string | null },
  keyPanel: SafeHtml | null = null,
): SafeHtml {
  return html`<h1>${jt(lang, 'journal.title')}</h1>
    <p>${jt(lang, 'journal.intro')}</p>
    ${privateNote(lang)}${keyPanel}
    <section class="card" aria-labelledby="new-entry">
      <h2 id="new-entry">${jt(lang, 'journal.new')}</h2>
      ${newLinks(lang)}
    </section>
    <form method="get" action="/app/journal" class="card search" role="search">
      <label for="q">${jt(lang, 'journal.search')}</label>
      <input type="search" id="q" name="q" value="${input.query}" maxlength="200" />
      <label for="tag">${jt(lang, 'journal.tag')}</label>
      <select id="tag" name="tag">
        <option value="">${jt(lang, 'journal.allTags')}</option>
        ${input.tags.map((t) => html`<option value="${t}" ${t === input.tag ? html` selected` : null}>${t}</option>`)}
      </select>
      <p><button type="submit">${jt(lang, 'journal.searchButton')}</button></p>
      <p class="muted">${jt(lang, 'journal.searchNote')}</p>
    </form>
    <section aria-labelledby="entries">
      <h2 id="entries">${jt(lang, 'journal.entries')}</h2>
      ${
        input.entries.length === 0
          ? html`<p>${jt(lang, 'journal.none')}</p>`
          : html`<ul class="entries">
              ${input.entries.map(
                (e) =>
                  html`<li class="card" data-testid="journal-entry">
                    <a href="/app/journal/${e.id}">${e.content.title}</a>
                    <span class="muted">
                      — ${journalTemplate(e.content.template).title[lang]}, ${formatDate(e.createdAt, lang)}</span
                    >
                    ${
                      e.content.tags.length
                        ? html`<ul class="tags">
                            ${e.content.tags.map((t) => html`<li>${t}</li>`)}
                          </ul>`
                        : null
                    }
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
}

function fieldHtml(template: JournalTemplate, values: Record<string, string>, lang: Lang): SafeHtml {
  return html`${template.fields.map((f) => {
    const id = `field_${f.id}`;
    const guidanceId = f.guidance ? `${id}-guidance` : null;
    return html`<div class="item journal-field">
      <label for="${id}">${f.label[lang]}</label>
      ${
        f.guidance
          ? html`<dl class="guidance" id="${guidanceId}">
              ${f.guidance.map(
                (g) =>
                  html`<dt>${g.label[lang]}</dt>
                    <dd>${g.text[lang]}</dd>`,
              )}${f.adaptedBySpiegel ? html`<dd class="muted">${jt(lang, 'journal.adapted')}</dd>` : null}
            </dl>`
          : null
      }
      <textarea
        id="${id}"
        name="${id}"
        rows="4"
        maxlength="20000"
        ${guidanceId ? html` aria-describedby="${guidanceId}"` : null}
      >
${values[f.id] ?? ''}</textarea>
    </div>`;
  })}`;
}

export function formBody(
  reply: FastifyReply,
  lang: Lang,
  input: {
    action: string;
    templateId: TemplateId;
    mode: FrameMode;
    content: Partial<JournalEntryContent>;
    error: string | null;
    tagsText?: string;
  },
): SafeHtml {
  const template = journalTemplate(input.templateId, input.mode);
  const c = input.content;
  return html`<p><a href="/app/journal">${rt(lang, 'back')}</a></p>
    <h1>
      ${template.title[lang]}${input.templateId === 'appreciation' ? ` — ${input.mode === 'group' ? (lang === 'nl' ? 'groep' : 'group') : lang === 'nl' ? 'individueel' : 'individual'}` : ''}
    </h1>
    <p>${template.intro[lang]}</p>
    ${input.templateId === 'appreciation' && input.mode === 'individual' ? html`<p class="muted">${INDIVIDUAL_ADAPTATION_NOTE[lang]}</p>` : null}
    ${template.source ? html`<p class="source"><strong>${rt(lang, 'source')}:</strong> ${template.source[lang]}</p>` : null}
    <p class="muted">${rt(lang, 'projectAuthored')}</p>
    ${input.error ? html`<p class="error" role="alert">${input.error}</p>` : null}
    <form method="post" action="${input.action}" class="card" novalidate>
      ${csrfField(reply)}
      <input type="hidden" name="template" value="${input.templateId}" />
      ${input.templateId === 'appreciation' ? html`<input type="hidden" name="mode" value="${input.mode}" />` : null}
      <label for="title">${jt(lang, 'journal.entryTitle')}</label>
      <input type="text" id="title" name="title" maxlength="200" required value="${c.title ?? ''}" />
      <label for="occurredOn">${jt(lang, 'journal.date')}</label>
      <input type="date" id="occurredOn" name="occurredOn" value="${c.occurredOn ?? ''}" />
      ${fieldHtml(template, c.fields ?? {}, lang)}
      <label for="tags">${jt(lang, 'journal.tags')}</label>
      <input type="text" id="tags" name="tags" maxlength="900" value="${input.tagsText ?? (c.tags ?? []).join(', ')}" />
      <p><button type="submit" data-testid="journal-save">${rt(lang, 'save')}</button></p>
    </form>`;
}

/** The entry itself (shared by the owner's page and the supervisor's view). */
export function entryHtml(
  entry: { createdAt: Date; content: JournalEntryContent },
  lang: Lang,
  headingLevel: 1 | 2 = 1,
): SafeHtml {
  const c = entry.content;
  const template = journalTemplate(c.template, c.mode ?? 'individual');
  const title = headingLevel === 1 ? html`<h1>${c.title}</h1>` : html`<h2>${c.title}</h2>`;
  return html`<article class="card journal-entry">
    ${title}
    <p class="muted">
      ${template.title[lang]}${c.mode ? ` (${c.mode === 'group' ? (lang === 'nl' ? 'groep' : 'group') : lang === 'nl' ? 'individueel' : 'individual'})` : ''}
      · ${jt(lang, 'journal.written')}
      ${formatDate(entry.createdAt, lang)}${c.occurredOn ? ` · ${formatDate(new Date(`${c.occurredOn}T12:00:00Z`), lang)}` : ''}
    </p>
    <dl>
      ${template.fields
        .filter((f) => c.fields[f.id])
        .map(
          (f) =>
            html`<dt>${f.label[lang]}</dt>
              <dd class="prewrap">${c.fields[f.id]}</dd>`,
        )}
    </dl>
    ${
      c.tags.length
        ? html`<ul class="tags">
            ${c.tags.map((t) => html`<li>${t}</li>`)}
          </ul>`
        : null
    }
    ${template.source ? html`<p class="source">${rt(lang, 'source')}: ${template.source[lang]}</p>` : null}
  </article>`;
}

export function entryActions(reply: FastifyReply, lang: Lang, id: string): SafeHtml {
  return html`<p class="actions"><a class="button secondary" href="/app/journal/${id}/edit">${rt(lang, 'edit')}</a></p>
    <form method="post" action="/app/journal/${id}/delete">
      ${csrfField(reply)}<button type="submit" class="secondary">${jt(lang, 'journal.deleteConfirm')}</button>
    </form>`;
}

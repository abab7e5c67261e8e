import type { FastifyReply } from 'fastify';
import { formatDate } from '../../domain/reflection/format.ts';
import { INTERVAL_CHOICES, type IntervalMonths } from '../../domain/reflection/schedule.ts';
import {
  moduleProgress,
  type FieldError,
  type ModuleDefinition,
  type Section,
} from '../../domain/reflection/self-check.ts';
import type { Answers } from '../../domain/reflection/types.ts';
import type { CheckMeta } from '../../store/reflection-checks.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { renderSection } from './forms.ts';
import { csrfField, privateNote } from './page.ts';
import { rt } from './texts.ts';

/** The self-check overview, the draft's module list and a module's form. */

export function overviewBody(
  reply: FastifyReply,
  lang: Lang,
  input: { reminder: SafeHtml; interval: IntervalMonths; checks: CheckMeta[] },
): SafeHtml {
  const draft = input.checks.find((c) => c.status === 'draft');
  return html`<h1>${rt(lang, 'check.title')}</h1>
    <p>${rt(lang, 'check.intro')}</p>
    ${privateNote(lang)} ${input.reminder}
    <div class="card">
      ${
        draft
          ? html`<p>
              <a class="button" href="/app/self-check/${draft.id}" data-testid="selfcheck-continue"
                >${rt(lang, 'check.continue')}</a
              >
            </p>`
          : html`<form method="post" action="/app/self-check">
              ${csrfField(reply)}<button type="submit" data-testid="selfcheck-start">${rt(lang, 'check.start')}</button>
            </form>`
      }
    </div>
    <form method="post" action="/app/self-check/settings" class="card">
      ${csrfField(reply)}
      <label for="interval">${rt(lang, 'check.interval')}</label>
      <select id="interval" name="interval">
        ${INTERVAL_CHOICES.map((n) => html`<option value="${n}" ${n === input.interval ? html` selected` : null}>${rt(lang, 'check.interval.months', { n })}</option>`)}
      </select>
      <p><button type="submit" class="secondary">${rt(lang, 'save')}</button></p>
    </form>
    <section class="card" aria-labelledby="history">
      <h2 id="history">${rt(lang, 'check.history')}</h2>
      ${
        input.checks.length === 0
          ? html`<p>${rt(lang, 'check.none')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${rt(lang, 'check.started')}</th>
                  <th scope="col">${rt(lang, 'check.completed')}</th>
                  <th scope="col">${rt(lang, 'check.status')}</th>
                  <th scope="col"><span class="visually-hidden">${rt(lang, 'check.open')}</span></th>
                </tr>
              </thead>
              <tbody>
                ${input.checks.map(
                  (c) =>
                    html`<tr>
                      <td>${formatDate(c.startedAt, lang)}</td>
                      <td>${c.completedAt ? formatDate(c.completedAt, lang) : '—'}</td>
                      <td>${rt(lang, c.status === 'draft' ? 'check.status.draft' : 'check.status.completed')}</td>
                      <td>
                        <a href="/app/self-check/${c.id}"
                          >${rt(lang, 'check.open')}<span class="visually-hidden">
                            ${formatDate(c.startedAt, lang)}</span
                          ></a
                        >
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
}

export function draftBody(
  reply: FastifyReply,
  lang: Lang,
  input: { id: string; startedAt: Date; modules: ModuleDefinition[]; answers: Answers; saved: boolean },
): SafeHtml {
  return html`<h1>${rt(lang, 'check.title')}</h1>
    ${input.saved ? html`<p class="notice" role="status">${rt(lang, 'check.saved')}</p>` : null}
    <p class="muted">
      ${rt(lang, 'check.reminder.inProgress', { date: formatDate(input.startedAt, lang) })}
      ${rt(lang, 'check.optional')}
    </p>
    ${privateNote(lang)}
    <section class="card" aria-labelledby="modules">
      <h2 id="modules">${rt(lang, 'check.modules')}</h2>
      <ol class="modules">
        ${input.modules.map((m) => {
          const p = moduleProgress(m, input.answers);
          return html`<li>
            <a href="/app/self-check/${input.id}/${m.id}" data-testid="module-${m.id}">${m.title[lang]}</a>
            <span class="muted">— ${rt(lang, 'check.progress', { answered: p.answered, total: p.total })}</span>
          </li>`;
        })}
      </ol>
    </section>
    <form method="post" action="/app/self-check/${input.id}/complete" class="card">
      ${csrfField(reply)}
      <p class="muted">${rt(lang, 'check.completeNote')}</p>
      <button type="submit" data-testid="selfcheck-complete">${rt(lang, 'check.complete')}</button>
    </form>
    <form method="post" action="/app/self-check/${input.id}/delete">
      ${csrfField(reply)}
      <button type="submit" class="secondary">${rt(lang, 'check.deleteDraft')}</button>
    </form>`;
}

/** A label for where a section's questions come from. */
function provenance(section: Section, lang: Lang): SafeHtml | null {
  const kinds = new Set(
    section.items.map((i) =>
      i.provenance.kind === 'instrument' ? `instrument:${i.provenance.instrumentId}` : i.provenance.kind,
    ),
  );
  const notes: SafeHtml[] = [];
  if (kinds.has('instrument:brs')) {
    notes.push(
      html`<p class="muted">
        Brief Resilience Scale (Smith et al.,
        2008).${section.items.some((i) => i.textLang && i.textLang.nl !== 'nl') ? html` ${rt(lang, 'englishOnly')}` : null}
      </p>`,
    );
  }
  if (kinds.has('seed') || kinds.has('instrument:spiegel-tears'))
    notes.push(html`<p class="muted">${rt(lang, 'studyItems')}</p>`);
  if (kinds.has('spiegel')) notes.push(html`<p class="muted">${rt(lang, 'projectAuthored')}</p>`);
  return notes.length ? html`${notes}` : null;
}

export function moduleBody(
  reply: FastifyReply,
  lang: Lang,
  input: { id: string; module: ModuleDefinition; answers: Answers; errors: FieldError[]; isLast: boolean },
): SafeHtml {
  const m = input.module;
  return html`<p><a href="/app/self-check/${input.id}">${rt(lang, 'back')}</a></p>
    <h1>${m.title[lang]}</h1>
    <p>${m.intro[lang]}</p>
    <p class="muted">${rt(lang, 'check.optional')}</p>
    ${input.errors.length ? html`<p class="error" role="alert">${rt(lang, 'formErrors')}</p>` : null}
    <form method="post" action="/app/self-check/${input.id}/${m.id}" novalidate>
      ${csrfField(reply)}
      ${m.sections.map((s) => renderSection(s, input.answers, lang, input.errors, provenance(s, lang)))}
      <p><button type="submit" data-testid="module-save">${rt(lang, input.isLast ? 'save' : 'saveNext')}</button></p>
    </form>
    ${m.sources.length ? html`<p class="source"><strong>${rt(lang, 'sources')}:</strong> ${m.sources.map((s) => s[lang]).join(' ')}</p>` : null}
    ${m.copyright.map((line) => html`<p class="source copyright" lang="en">© ${line}</p>`)}`;
}

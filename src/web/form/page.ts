import { html, raw, type SafeHtml } from '../html.ts';
import { FORM_STYLE } from './style.ts';
import type { Lang } from '../i18n.ts';
import { languagePolicy, itemText, pickText, titleText } from '../../domain/instruments/translation.ts';
import type { FormQuestion, FormSection } from './questions.ts';
import { questionsOf } from './questions.ts';
import { formText, DEFAULT_CRISIS_CONTACTS } from './texts.ts';

const LANG_NAMES: Record<string, { nl: string; en: string }> = {
  nl: { nl: 'Nederlandse', en: 'Dutch' },
  en: { nl: 'Engelse', en: 'English' },
};

/** The client form's own small page frame (no staff navigation, no client details). */
function frame(
  lang: Lang,
  title: string,
  body: SafeHtml,
  options: { switchHref?: string; script?: boolean } = {},
): string {
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>${raw(FORM_STYLE)}</style>
        ${options.script ? html`<script src="/static/form.js" defer></script>` : null}
      </head>
      <body>
        <header class="form-top">
          <span class="brand">Spiegel</span>
          ${options.switchHref ? html`<a href="${options.switchHref}?lang=${other}" lang="${other}" hreflang="${other}">${other === 'nl' ? 'Nederlands' : 'English'}</a>` : null}
        </header>
        <main id="main">${body}</main>
      </body>
    </html>`.value;
}

function question(q: FormQuestion, lang: Lang, section: FormSection, number: number, error: boolean): SafeHtml {
  const policy = languagePolicy(section.scorer.questionnaire, section.scorer.spec);
  const text = itemText(q.item, lang, policy)?.text ?? q.item.linkId;
  const errorId = `${q.field}-error`;
  return html`<fieldset
    class="question${error ? ' has-error' : ''}"
    data-question
    ${error ? html`aria-describedby="${errorId}"` : null}
  >
    <legend>
      <span class="qnum">${number}.</span>
      ${text}${q.required ? html` <span class="visually-hidden">(verplicht)</span>` : null}
    </legend>
    ${error ? html`<p class="error" id="${errorId}">${formText(lang, 'form.required')}</p>` : null}
    <div class="choices${q.choices.length > 5 ? ' scale' : ''}">
      ${q.choices.map((choice, i) => {
        const id = `${q.field}-${i}`.replace(/[^A-Za-z0-9_-]/g, '_');
        const coding = choice.option?.valueCoding;
        const label =
          choice.label ??
          (coding ? pickText(coding.display, (coding as { _display?: unknown })._display, lang, policy)?.text : null) ??
          String(choice.option?.valueString ?? choice.option?.valueInteger ?? i);
        return html`<div class="choice">
          <input type="radio" id="${id}" name="${q.field}" value="${i}" ${q.required ? html`required` : null} /><label
            for="${id}"
            >${label}</label
          >
        </div>`;
      })}
    </div>
  </fieldset>`;
}

export interface FormPageInput {
  lang: Lang;
  path: string;
  sections: FormSection[];
  submissionKey: string;
  errors?: Set<string>;
}

export function formPage(input: FormPageInput): string {
  const { lang, sections } = input;
  const total = sections.reduce((n, s) => n + questionsOf(s).length, 0);
  let number = 0;
  const body = html` <h1>${formText(lang, 'form.title')}</h1>
    <p>${formText(lang, 'form.intro')}</p>
    ${input.errors?.size ? html`<p class="error" role="alert">${formText(lang, 'form.errors')}</p>` : null}
    <p class="notice" id="draft-note" hidden>${formText(lang, 'form.draftRestored')}</p>
    <p class="notice" id="offline-note" role="status" hidden>${formText(lang, 'form.offline')}</p>
    <form method="post" action="${input.path}" id="measure-form" data-total="${total}" novalidate>
      <input type="hidden" name="submission_key" value="${input.submissionKey}" />
      <div class="progress" aria-live="polite">
        <progress id="progress-bar" max="${total}" value="0" aria-labelledby="progress-text"></progress>
        <span id="progress-text">${formText(lang, 'form.progress', { done: 0, total })}</span>
      </div>
      ${sections.map((section) => {
        const policy = languagePolicy(section.scorer.questionnaire, section.scorer.spec);
        const title = titleText(section.scorer.questionnaire, lang, policy);
        const firstQuestion = questionsOf(section)[0];
        const sample = firstQuestion ? itemText(firstQuestion.item, lang, policy) : title;
        const fellBack = sample?.fellBack ? sample.lang : null;
        const licence = section.scorer.spec?.licence;
        const projectAuthored = section.scorer.spec?.catalog.projectAuthored;
        return html`<section class="instrument" ${fellBack ? html`lang="${fellBack}"` : null}>
          <h2>${title?.text ?? section.scorer.instrumentId}</h2>
          ${fellBack ? html`<p class="notice" lang="${lang}" data-fell-back>${formText(lang, 'form.fellBack', { lang: LANG_NAMES[fellBack]?.[lang] ?? fellBack })}</p>` : null}
          ${projectAuthored ? html`<p class="muted" lang="${lang}">${formText(lang, 'form.projectAuthored')}</p>` : null}
          ${section.entries.map((entry) => {
            if (entry.kind === 'display')
              return html`<p class="instruction">${itemText(entry.item, lang, policy)?.text ?? ''}</p>`;
            number++;
            return question(entry.question, lang, section, number, input.errors?.has(entry.question.field) ?? false);
          })}
          ${licence?.showCopyrightOnForm && section.scorer.questionnaire.copyright ? html`<p class="copyright">${section.scorer.questionnaire.copyright}</p>` : null}
        </section>`;
      })}
      <p><button type="submit" id="submit">${formText(lang, 'form.submit')}</button></p>
    </form>`;
  return frame(lang, formText(lang, 'form.title'), body, { switchHref: input.path, script: true });
}

export function thanksPage(lang: Lang, risk: boolean, contacts = DEFAULT_CRISIS_CONTACTS): string {
  const body = html`<h1 id="thanks">${formText(lang, 'thanks.title')}</h1>
    <p>${formText(lang, 'thanks.body')}</p>
    ${
      risk
        ? html`<section class="crisis" aria-labelledby="crisis-title">
            <h2 id="crisis-title">${formText(lang, 'crisis.title')}</h2>
            <p>${formText(lang, 'crisis.body')}</p>
            <ul>
              ${contacts.map((c) => html`<li><a href="${c.href}">${c[lang]}</a></li>`)}
            </ul>
          </section>`
        : null
    }`;
  return frame(lang, formText(lang, 'thanks.title'), body);
}

export function invalidLinkPage(lang: Lang): string {
  return frame(
    lang,
    formText(lang, 'invalid.title'),
    html`<h1>${formText(lang, 'invalid.title')}</h1>
      <p>${formText(lang, 'invalid.body')}</p>`,
  );
}

/**
 * The anonymous survey pages: information letter and consent, the survey itself (rendered from the
 * study's FHIR Questionnaire; branching shown and hidden by /static/survey.js, and enforced on the
 * server either way), thanks with the withdrawal code, and withdrawal. Works without JavaScript.
 */
import { html, type SafeHtml } from '../html.ts';
import type { Lang } from '../i18n.ts';
import { presentationOrder, type Survey, type SurveyItem } from '../../domain/research/survey.ts';
import { researchText as t } from './texts.ts';

function frame(lang: Lang, title: string, body: SafeHtml, script = false): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <link rel="stylesheet" href="/static/form.css" />
        ${script ? html`<script src="/static/survey.js" defer></script>` : null}
      </head>
      <body>
        <header class="form-top"><span class="brand">Spiegel</span></header>
        <main id="main">${body}</main>
      </body>
    </html>`.value;
}

/**
 * The study's own texts (title, letter, consent, criteria) are in the survey's language, which the
 * reader may have switched away from: then they are marked with their language (WCAG 3.1.2).
 */
function own(textLang: string, lang: Lang): SafeHtml | null {
  return textLang === lang ? null : html`lang="${textLang}"`;
}

/** The eligibility screen before the letter: yes/no per criterion; answers are only counted, never kept. */
export function eligibilityPage(
  lang: Lang,
  textLang: string,
  path: string,
  title: string,
  criteria: readonly { text: string }[],
  missing = false,
): string {
  const body = html`<h1 ${own(textLang, lang)}>${title}</h1>
    <h2>${t(lang, 'survey.screenTitle')}</h2>
    <p>${t(lang, 'survey.screenIntro')}</p>
    ${missing ? html`<p class="error" role="alert">${t(lang, 'survey.screenMissing')}</p>` : null}
    <form method="post" action="${path}/screen">
      ${criteria.map(
        (c, i) =>
          html`<fieldset class="question" data-criterion="${String(i)}">
            <legend ${own(textLang, lang)}>${c.text}</legend>
            <div class="choice">
              <input type="radio" id="e-${String(i)}-yes" name="e.${String(i)}" value="yes" required /><label
                for="e-${String(i)}-yes"
                >${t(lang, 'survey.yes')}</label
              >
            </div>
            <div class="choice">
              <input type="radio" id="e-${String(i)}-no" name="e.${String(i)}" value="no" /><label
                for="e-${String(i)}-no"
                >${t(lang, 'survey.no')}</label
              >
            </div>
          </fieldset>`,
      )}
      <p><button type="submit" id="screen-next">${t(lang, 'survey.next')}</button></p>
    </form>`;
  return frame(lang, title, body);
}

export function consentPage(
  lang: Lang,
  textLang: string,
  path: string,
  title: string,
  letter: string,
  consent: string,
  pass?: string,
): string {
  const body = html`<h1 ${own(textLang, lang)}>${title}</h1>
    <section class="letter" ${own(textLang, lang)}>${letter.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</section>
    <p class="notice">${t(lang, 'survey.anonymous')}</p>
    <form method="post" action="${path}/start">
      ${pass ? html`<input type="hidden" name="pass" value="${pass}" />` : null}
      <fieldset class="question">
        <legend ${own(textLang, lang)}>${consent}</legend>
        <div class="choice">
          <input type="checkbox" id="consent" name="consent" value="yes" required /><label for="consent"
            >${t(lang, 'survey.agree')}</label
          >
        </div>
      </fieldset>
      <p>
        <button type="submit" name="decision" value="start" id="start">${t(lang, 'survey.start')}</button>
        <button type="submit" name="decision" value="decline" formnovalidate>${t(lang, 'survey.decline')}</button>
      </p>
    </form>`;
  return frame(lang, title, body);
}

export function itemField(
  item: SurveyItem,
  number: number,
  values: Record<string, string>,
  error: string | null,
  mark: SafeHtml | null,
): SafeHtml {
  const field = `a.${item.name}`;
  // The arm the server assigned: not a question, but branching on it works as on any answer.
  if (item.assign) return html`<input type="hidden" name="${field}" value="${values[field] ?? ''}" />`;
  const current = values[field] ?? '';
  const condition = item.condition
    ? html`data-if="${item.condition.question}" data-op="${item.condition.operator}"
      data-value="${String(item.condition.value)}"`
    : null;
  const errorId = `${item.name}-error`;
  let control: SafeHtml;
  if (item.kind === 'numeric') {
    control = html`<input
      type="number"
      inputmode="numeric"
      id="${item.name}"
      name="${field}"
      value="${current}"
      ${item.min !== null ? html`min="${String(item.min)}"` : null}
      ${item.max !== null ? html`max="${String(item.max)}"` : null}
    />`;
  } else if (item.kind === 'open') {
    control = html`<textarea id="${item.name}" name="${field}" rows="3" maxlength="2000">${current}</textarea>`;
  } else {
    control = html`<div class="choices${item.options.length > 5 ? ' scale' : ''}" ${mark}>
      ${item.options.map((o) => {
        const id = `${item.name}-${o.value}`.replace(/[^A-Za-z0-9_-]/g, '_');
        return html`<div class="choice">
          <input
            type="radio"
            id="${id}"
            name="${field}"
            value="${String(o.value)}"
            ${current === String(o.value) ? html`checked` : null}
          /><label for="${id}">${o.label}</label>
        </div>`;
      })}
    </div>`;
  }
  const labelled = item.kind === 'numeric' || item.kind === 'open';
  return html`<fieldset
    class="question${error ? ' has-error' : ''}"
    data-item="${item.name}"
    ${condition}
    ${error ? html`aria-describedby="${errorId}"` : null}
  >
    <legend ${mark}>
      ${labelled ? html`<label for="${item.name}">${number}. ${item.text}</label>` : html`${number}. ${item.text}`}
    </legend>
    ${error ? html`<p class="error" id="${errorId}">${error}</p>` : null} ${control}
  </fieldset>`;
}

export function surveyPage(input: {
  lang: Lang;
  path: string;
  title: string;
  survey: Survey;
  state: string;
  values?: Record<string, string>;
  errors?: Map<string, string>;
}): string {
  const { lang, survey } = input;
  const mark = own(survey.questionnaire.language ?? 'nl', lang);
  const body = html`<h1 ${mark}>${input.title}</h1>
    ${input.errors?.size ? html`<p class="error" role="alert">${t(lang, 'survey.errors')}</p>` : null}
    <form method="post" action="${input.path}" id="survey-form" novalidate>
      <input type="hidden" name="state" value="${input.state}" />
      ${presentationOrder(
        survey.items.filter((i) => i.assign),
        input.state,
      ).map((item) => itemField(item, 0, input.values ?? {}, null, mark))}
      ${presentationOrder(
        survey.items.filter((i) => !i.assign),
        input.state,
      ).map((item, i) => itemField(item, i + 1, input.values ?? {}, input.errors?.get(item.name) ?? null, mark))}
      <p><button type="submit" id="submit">${t(lang, 'survey.submit')}</button></p>
    </form>`;
  return frame(lang, input.title, body, true);
}

export function surveyThanksPage(lang: Lang, code: string): string {
  return frame(
    lang,
    t(lang, 'survey.thanks'),
    html`<h1 id="thanks">${t(lang, 'survey.thanks')}</h1>
      <p>${t(lang, 'survey.withdrawCode')}</p>
      <p><strong data-testid="withdrawal-code">${code}</strong></p>
      <p><a href="/s/withdraw">${t(lang, 'withdraw.title')}</a></p>`,
  );
}

export function surveyMessagePage(lang: Lang, textLang: string, title: string, message: string): string {
  return frame(
    lang,
    title,
    html`<h1 ${own(textLang, lang)}>${title}</h1>
      <p>${message}</p>`,
  );
}

export function withdrawPage(lang: Lang, message: string | null, error: string | null): string {
  return frame(
    lang,
    t(lang, 'withdraw.title'),
    html`<h1>${t(lang, 'withdraw.title')}</h1>
      ${message ? html`<p role="status">${message}</p>` : null}
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <form method="post" action="/s/withdraw">
        <label for="code">${t(lang, 'withdraw.code')}</label>
        <input id="code" name="code" type="text" autocomplete="off" required maxlength="40" />
        <p><button type="submit">${t(lang, 'withdraw.submit')}</button></p>
      </form>`,
  );
}

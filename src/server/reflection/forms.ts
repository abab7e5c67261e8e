import type { FieldError, Section } from '../../domain/reflection/self-check.ts';
import type { AnswerValue, Answers, SelfCheckItem } from '../../domain/reflection/types.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { rt } from './texts.ts';

/**
 * Server-rendered inputs for self-check items: radio groups in a fieldset with a legend for scales,
 * yes/no and short choices, checkboxes for multi-choice, labelled number inputs and text areas. No
 * script is needed. Field names are the item ids; ids are derived from them.
 */

export function fieldId(itemId: string): string {
  return `f-${itemId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** The item text, marked with its real language when it is not the page's (for screen readers). */
function itemText(item: SelfCheckItem, lang: Lang): SafeHtml {
  const real = item.textLang?.[lang];
  return real && real !== lang ? html`<span lang="${real}">${item.text[lang]}</span>` : html`${item.text[lang]}`;
}

function describedBy(ids: Array<string | null>): SafeHtml | null {
  const list = ids.filter((id): id is string => id !== null);
  return list.length ? html` aria-describedby="${list.join(' ')}"` : null;
}

function radios(
  name: string,
  id: string,
  options: Array<{ value: string; label: string; labelLang?: string }>,
  current: string | null,
  invalid: boolean,
  described: SafeHtml | null,
): SafeHtml {
  return html`<div class="options">
    ${options.map(
      (o, i) =>
        html`<span class="option"
          ><input
            type="radio"
            id="${id}-${i}"
            name="${name}"
            value="${o.value}"
            ${current === o.value ? html` checked` : null}${invalid ? html` aria-invalid="true"` : null}${described}
          /><label for="${id}-${i}" ${o.labelLang ? html` lang="${o.labelLang}"` : null}>${o.label}</label></span
        >`,
    )}
  </div>`;
}

function asString(value: AnswerValue | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function renderItem(
  item: SelfCheckItem,
  value: AnswerValue | undefined,
  lang: Lang,
  error: FieldError | null,
): SafeHtml {
  const id = fieldId(item.id);
  const hintId = item.hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const hint = item.hint ? html`<p class="hint" id="${hintId}">${item.hint[lang]}</p>` : null;
  const err = error ? html`<p class="error" id="${errorId}">${error.message[lang]}</p>` : null;
  const input = item.input;
  const current = asString(value);
  const optionLang = item.textLang && item.textLang[lang] !== lang ? item.textLang[lang] : undefined;
  switch (input.kind) {
    case 'scale': {
      const anchorsId = `${id}-anchors`;
      const options = [];
      for (let v = input.min; v <= input.max; v++) options.push({ value: String(v), label: String(v) });
      return html`<fieldset class="item scale" id="${id}">
        <legend>${itemText(item, lang)}</legend>
        <p class="anchors" id="${anchorsId}" ${optionLang ? html` lang="${optionLang}"` : null}>
          ${rt(lang, 'check.anchors', { min: input.min, minLabel: input.minLabel[lang], max: input.max, maxLabel: input.maxLabel[lang] })}
        </p>
        ${hint}${err}${radios(item.id, id, options, current, error !== null, describedBy([anchorsId, hintId, errorId]))}
      </fieldset>`;
    }
    case 'yesno':
      return html`<fieldset class="item" id="${id}">
        <legend>${itemText(item, lang)}</legend>
        ${hint}${err}${radios(
          item.id,
          id,
          [
            { value: 'yes', label: rt(lang, 'yes') },
            { value: 'no', label: rt(lang, 'no') },
          ],
          current,
          error !== null,
          describedBy([hintId, errorId]),
        )}
      </fieldset>`;
    case 'choice':
      return html`<fieldset class="item" id="${id}">
        <legend>${itemText(item, lang)}</legend>
        ${hint}${err}${radios(
          item.id,
          id,
          input.options.map((o) => ({ value: o.code, label: o.label[lang], labelLang: optionLang })),
          current,
          error !== null,
          describedBy([hintId, errorId]),
        )}
      </fieldset>`;
    case 'checks': {
      const ticked = new Set((current ?? '').split(','));
      return html`<fieldset class="item" id="${id}">
        <legend>${itemText(item, lang)}</legend>
        ${hint}${err}
        <div class="options">
          ${input.options.map(
            (o, i) =>
              html`<span class="option"
                ><input
                  type="checkbox"
                  id="${id}-${i}"
                  name="${item.id}"
                  value="${o.code}"
                  ${ticked.has(o.code) ? html` checked` : null}
                /><label for="${id}-${i}">${o.label[lang]}</label></span
              >`,
          )}
        </div>
      </fieldset>`;
    }
    case 'number':
      return html`<div class="item">
        <label for="${id}"
          >${itemText(item, lang)}${input.unit[lang] ? html` <span class="muted">(${input.unit[lang]})</span>` : null}</label
        >${hint}${err}
        <input
          type="number"
          id="${id}"
          name="${item.id}"
          min="${input.min}"
          max="${input.max}"
          step="any"
          inputmode="decimal"
          value="${current ?? ''}"
          ${error ? html` aria-invalid="true"` : null}${describedBy([hintId, errorId])}
        />
      </div>`;
    case 'text':
      return html`<div class="item">
        <label for="${id}">${itemText(item, lang)}</label>${hint}${err}
        <textarea
          id="${id}"
          name="${item.id}"
          rows="3"
          maxlength="${input.maxLength}"
          ${error ? html` aria-invalid="true"` : null}${describedBy([hintId, errorId])}
        >
${current ?? ''}</textarea>
      </div>`;
  }
}

export function renderSection(
  section: Section,
  answers: Answers,
  lang: Lang,
  errors: FieldError[],
  provenance: SafeHtml | null,
): SafeHtml {
  return html`<section class="card check-section" aria-labelledby="s-${section.id}">
    <h2 id="s-${section.id}">${section.title[lang]}</h2>
    ${provenance} ${section.intro ? html`<p>${section.intro[lang]}</p>` : null}
    ${section.items.map((item) => renderItem(item, answers[item.id], lang, errors.find((e) => e.id === item.id) ?? null))}
  </section>`;
}

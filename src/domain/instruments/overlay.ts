import type { AnswerOption, Extension, Questionnaire, QuestionnaireItem } from './fhir.ts';
import { URL } from './fhir.ts';
import { isObject, pointer, type IssueList } from './issues.ts';

/**
 * A translation-only overlay: an organisation's licensed translation of an instrument Spiegel ships. It
 * is a Questionnaire with the same url (or id), the same items and the same answers, carrying the FHIR
 * translation extension on `_title`, `_text` and the answers' `_display`, and one Spiegel `translation`
 * entry per language with its status and source. Only those translations are taken over: items, codes
 * and scores stay the shipped ones, so scores stay comparable. Any structural difference refuses it.
 */
export function isOverlayFor(input: Questionnaire, base: Questionnaire): boolean {
  return (input.url !== undefined && input.url === base.url) || (input.id !== undefined && input.id === base.id);
}

function optionKey(option: AnswerOption): string {
  if (option.valueCoding) return `${option.valueCoding.system ?? ''}|${option.valueCoding.code ?? ''}`;
  for (const key of ['valueInteger', 'valueString', 'valueDate', 'valueTime'] as const)
    if (option[key] !== undefined) return `${key}:${String(option[key])}`;
  return JSON.stringify(option.valueReference ?? null);
}

/** Lists every difference (items, types, answers) between overlay and instrument; returns true when none. */
function compareItems(overlay: readonly QuestionnaireItem[], base: readonly QuestionnaireItem[], path: string, list: IssueList): boolean {
  let same = true;
  const mismatch = (p: string, reason: string) => {
    same = false;
    list.error(p, 'TRANSLATION_MISMATCH', reason);
  };
  if (overlay.length !== base.length) mismatch(path, `${overlay.length} items here, the instrument has ${base.length}.`);
  for (let i = 0; i < Math.min(overlay.length, base.length); i++) {
    const o = overlay[i];
    const b = base[i];
    const p = pointer(path, i);
    if (o.linkId !== b.linkId) mismatch(pointer(p, 'linkId'), `linkId "${o.linkId}", the instrument has "${b.linkId}".`);
    if (o.type !== b.type) mismatch(pointer(p, 'type'), `type "${o.type}", the instrument has "${b.type}".`);
    const oo = o.answerOption ?? [];
    const bo = b.answerOption ?? [];
    if (oo.length !== bo.length) mismatch(pointer(p, 'answerOption'), `${oo.length} answers, the instrument has ${bo.length}.`);
    for (let j = 0; j < Math.min(oo.length, bo.length); j++) {
      if (optionKey(oo[j]) !== optionKey(bo[j]))
        mismatch(pointer(p, 'answerOption', j), `answer ${optionKey(oo[j])}, the instrument has ${optionKey(bo[j])}.`);
    }
    if (!compareItems(o.item ?? [], b.item ?? [], pointer(p, 'item'), list)) same = false;
  }
  return same;
}

function translationExtensions(under: unknown): Extension[] {
  if (!isObject(under) || !Array.isArray(under.extension)) return [];
  return (under.extension as Extension[]).filter((e) => isObject(e) && e.url === URL.translation);
}

function langOf(ext: Extension): string | undefined {
  return ext.extension?.find((s) => s.url === 'lang')?.valueCode;
}

/** Adds translation extensions to an element's `_x` object, replacing the same language. */
function mergeTranslations(target: Record<string, unknown>, key: string, added: Extension[]): void {
  if (added.length === 0) return;
  const langs = new Set(added.map(langOf));
  const existing = translationExtensions(target[key]).filter((e) => !langs.has(langOf(e)));
  const other = isObject(target[key]) && Array.isArray(target[key].extension) ? (target[key].extension as Extension[]).filter((e) => e.url !== URL.translation) : [];
  target[key] = { ...(isObject(target[key]) ? target[key] : {}), extension: [...other, ...existing, ...added] };
}

function mergeItems(overlay: readonly QuestionnaireItem[], base: QuestionnaireItem[]): void {
  base.forEach((b, i) => {
    const o = overlay[i];
    mergeTranslations(b as unknown as Record<string, unknown>, '_text', translationExtensions(o._text));
    (b.answerOption ?? []).forEach((bo, j) => {
      const oo = o.answerOption?.[j];
      if (!oo) return;
      if (bo.valueCoding && oo.valueCoding)
        mergeTranslations(bo.valueCoding as Record<string, unknown>, '_display', translationExtensions((oo.valueCoding as Record<string, unknown>)._display));
      if (bo.valueString !== undefined) mergeTranslations(bo, '_valueString', translationExtensions(oo._valueString));
    });
    if (b.item) mergeItems(o.item ?? [], b.item);
  });
}

/** The Spiegel `translation` entries of a questionnaire (lang, status, source), raw. */
function spiegelTranslationEntries(q: Questionnaire): Extension[] {
  const scoring = (q.extension ?? []).find((e) => e.url === URL.spiegelScoring);
  return (scoring?.extension ?? []).filter((e) => e.url === 'translation');
}

/**
 * Checks an overlay against the instrument and returns the instrument with the overlay's translations
 * merged in, or null (with TRANSLATION_MISMATCH issues listing every difference). Every language the
 * overlay adds must be declared with a status and a source.
 */
export function applyTranslationOverlay(overlay: Questionnaire, base: Questionnaire, list: IssueList): Questionnaire | null {
  const matches = compareItems(overlay.item ?? [], base.item ?? [], '/item', list);
  const declared = spiegelTranslationEntries(overlay);
  const declaredLangs = new Map(declared.map((e) => [e.extension?.find((s) => s.url === 'lang')?.valueCode, e]));
  const used = new Set<string>();
  const collect = (items: readonly QuestionnaireItem[]) => {
    for (const item of items) {
      for (const e of translationExtensions(item._text)) used.add(langOf(e) ?? '');
      item.answerOption?.forEach((o) => translationExtensions((o.valueCoding as Record<string, unknown> | undefined)?._display).forEach((e) => used.add(langOf(e) ?? '')));
      collect(item.item ?? []);
    }
  };
  collect(overlay.item ?? []);
  if (used.size === 0) list.error('/item', 'TRANSLATION_MISMATCH', 'The overlay carries no translations.');
  let sourced = true;
  for (const lang of used) {
    const entry = declaredLangs.get(lang);
    if (!entry?.extension?.some((s) => s.url === 'source' && typeof s.valueString === 'string' && s.valueString.trim() !== '')) {
      sourced = false;
      list.error('/extension', 'TRANSLATION_MISMATCH', `The translation into "${lang}" needs a Spiegel translation entry with its status and source.`);
    }
  }
  if (!matches || !sourced || used.size === 0) return null;
  const merged = structuredClone(base);
  mergeTranslations(merged as unknown as Record<string, unknown>, '_title', translationExtensions(overlay._title));
  mergeItems(overlay.item ?? [], merged.item ?? []);
  const scoring = (merged.extension ?? []).find((e) => e.url === URL.spiegelScoring);
  if (scoring) {
    const langs = new Set(declared.map((e) => e.extension?.find((s) => s.url === 'lang')?.valueCode));
    scoring.extension = [
      ...(scoring.extension ?? []).filter((e) => e.url !== 'translation' || !langs.has(e.extension?.find((s) => s.url === 'lang')?.valueCode)),
      ...declared,
    ];
  }
  return merged;
}

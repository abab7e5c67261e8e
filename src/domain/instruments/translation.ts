import { translationsOf } from './complex-extension.ts';
import type { Questionnaire, QuestionnaireItem } from './fhir.ts';
import { isObject } from './issues.ts';
import type { LocalizedText, ScoringSpec, TranslationState } from './scoring-spec.ts';

/**
 * Instrument text in the questionnaire's own language sits in the element (`text`, `title`, …); other
 * languages sit in FHIR translation extensions on `_text`, `_title`, …. Whether a language may be shown
 * to clients depends on its Spiegel translation status: original and verified may, unverified may only
 * when the caller accepts it (e.g. a project-authored therapist self-check).
 */
export interface DisplayText {
  text: string;
  lang: string;
  requested: string;
  verified: boolean;
  /** True when the text is not in the requested language, so the form can say so. */
  fellBack: boolean;
  /** Why it fell back: no text in that language, or only an unverified one. */
  reason: 'not-available' | 'not-verified' | null;
}

export interface LanguagePolicy {
  base: string;
  status(lang: string): TranslationState;
}

export interface PickOptions {
  /** Show an unverified translation rather than falling back (never for licensed clinical instruments). */
  acceptUnverified?: boolean;
  /** Languages to fall back to, in order; default: the questionnaire language, then en, then nl. */
  fallback?: readonly string[];
}

/** The base language counts as original unless declared otherwise; undeclared languages as unverified. */
export function languagePolicy(q: Pick<Questionnaire, 'language'>, spec: ScoringSpec | null): LanguagePolicy {
  const base = typeof q.language === 'string' && q.language !== '' ? q.language : 'en';
  const declared = new Map((spec?.translations ?? []).map((t) => [t.lang, t.status]));
  return {
    base,
    status: (lang) => declared.get(lang) ?? (lang === base ? 'original' : 'unverified'),
  };
}

/** Picks the text of one primitive element (`value` with its `_value` sibling) for a requested language. */
export function pickText(value: unknown, under: unknown, requested: string, policy: LanguagePolicy, options: PickOptions = {}): DisplayText | null {
  const texts: Record<string, string> = {};
  if (typeof value === 'string') texts[policy.base] = value;
  if (isObject(under)) Object.assign(texts, translationsOf(under.extension));
  return pickFrom(texts, requested, policy, options);
}

export function pickFrom(texts: LocalizedText, requested: string, policy: LanguagePolicy, options: PickOptions = {}): DisplayText | null {
  const usable = (lang: string): boolean => policy.status(lang) !== 'unverified' || options.acceptUnverified === true;
  const direct = matchLang(texts, requested);
  if (direct !== null && usable(direct)) {
    return { text: texts[direct], lang: direct, requested, verified: policy.status(direct) !== 'unverified', fellBack: false, reason: null };
  }
  const reason = direct === null ? 'not-available' : 'not-verified';
  for (const lang of options.fallback ?? [policy.base, 'en', 'nl']) {
    const hit = matchLang(texts, lang);
    if (hit !== null && policy.status(hit) !== 'unverified') {
      return { text: texts[hit], lang: hit, requested, verified: true, fellBack: true, reason };
    }
  }
  // Nothing verified at all (e.g. an unscored import without statuses): show the base text, marked unverified.
  const any = matchLang(texts, policy.base) ?? Object.keys(texts)[0];
  if (any === undefined) return null;
  return { text: texts[any], lang: any, requested, verified: false, fellBack: any !== requested, reason: any === requested ? null : reason };
}

/** Exact language tag first, then the same primary subtag (nl-BE finds nl and the reverse). */
function matchLang(texts: LocalizedText, lang: string): string | null {
  if (texts[lang] !== undefined) return lang;
  const primary = lang.split('-')[0].toLowerCase();
  for (const key of Object.keys(texts)) if (key.split('-')[0].toLowerCase() === primary) return key;
  return null;
}

export function itemText(item: QuestionnaireItem, requested: string, policy: LanguagePolicy, options?: PickOptions): DisplayText | null {
  return pickText(item.text, item._text, requested, policy, options);
}

export function titleText(q: Questionnaire, requested: string, policy: LanguagePolicy, options?: PickOptions): DisplayText | null {
  return pickText(q.title ?? q.name, q._title, requested, policy, options);
}

/**
 * An instrument's title for staff pages in a UI language: the verified or unverified translation
 * when there is one, else the original, with the language it is in (to mark it when it differs).
 */
export function displayTitle(q: Questionnaire, spec: ScoringSpec | null, lang: string): { text: string; lang: string } {
  const picked = titleText(q, lang, languagePolicy(q, spec), { acceptUnverified: true });
  return { text: picked?.text ?? q.id ?? '', lang: picked?.lang ?? lang };
}

/** Text of the scoring labels (bands, flags) for a language, falling back to the base language. */
export function labelText(label: LocalizedText, requested: string, policy: LanguagePolicy): DisplayText | null {
  return pickFrom(label, requested, policy, { acceptUnverified: true });
}

/**
 * Whether clients can be shown the instrument in a language: it must be the original or a verified
 * translation. When not, returns the language the client gets instead (so the therapist sees it when
 * planning, not the client when filling in).
 */
export function verifiedLanguageGap(q: Questionnaire, spec: ScoringSpec | null, lang: string): { shownIn: string } | null {
  const policy = languagePolicy(q, spec);
  const title = titleText(q, lang, policy);
  const first = (q.item ?? []).find((i) => typeof i.text === 'string');
  const item = first ? itemText(first, lang, policy) : null;
  const fell = [title, item].find((d) => d?.fellBack);
  if (!fell && policy.status(lang) !== 'unverified') return null;
  return { shownIn: fell?.lang ?? policy.base };
}

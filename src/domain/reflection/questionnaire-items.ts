import {
  FHIR_URL,
  languagePolicy,
  pickText,
  type AnswerOption,
  type Questionnaire,
  type QuestionnaireItem,
  type ScoringSpec,
} from '../instruments/index.ts';
import type { Answers, ChoiceOption, LocalText, SelfCheckItem } from './types.ts';

/**
 * Reads the question items of a FHIR R4 Questionnaire (from instruments/, loaded at run time by the
 * server) into the self-check's item model, and turns self-check answers back into a
 * QuestionnaireResponse so that the instrument's own declared rules score them. Pure: the caller loads
 * the JSON and compiles the scorer.
 *
 * Therapist self-checks accept unverified translations (the UI says which language a text is in when
 * it is not the requested one).
 */

type Texts = { text: LocalText; lang: { nl: string; en: string } };

function texts(value: unknown, under: unknown, q: Questionnaire, spec: ScoringSpec | null): Texts {
  const policy = languagePolicy(q, spec);
  const nl = pickText(value, under, 'nl', policy, { acceptUnverified: true });
  const en = pickText(value, under, 'en', policy, { acceptUnverified: true });
  return {
    text: { nl: nl?.text ?? '', en: en?.text ?? '' },
    lang: { nl: nl?.lang.split('-')[0] ?? 'nl', en: en?.lang.split('-')[0] ?? 'en' },
  };
}

function optionCode(option: AnswerOption): string | null {
  if (option.valueCoding?.code !== undefined) return option.valueCoding.code;
  if (typeof option.valueInteger === 'number') return String(option.valueInteger);
  if (typeof option.valueString === 'string') return option.valueString;
  return null;
}

function extensionNumber(item: QuestionnaireItem, url: string): number | undefined {
  const ext = item.extension?.find((e) => e.url === url);
  return ext?.valueInteger ?? ext?.valueDecimal;
}

/** The lower/upper anchor texts of a slider-like integer item (display children with itemControl). */
function anchor(
  item: QuestionnaireItem,
  code: 'lower' | 'upper',
  q: Questionnaire,
  spec: ScoringSpec | null,
): LocalText | null {
  for (const child of item.item ?? []) {
    if (child.type !== 'display') continue;
    const control = child.extension?.find((e) => e.url === FHIR_URL.itemControl) as
      { valueCodeableConcept?: { coding?: Array<{ code?: string }> } } | undefined;
    if (control?.valueCodeableConcept?.coding?.some((c) => c.code === code))
      return texts(child.text, child._text, q, spec).text;
  }
  return null;
}

function toItem(item: QuestionnaireItem, q: Questionnaire, spec: ScoringSpec | null): SelfCheckItem | null {
  const { text, lang } = texts(item.text, item._text, q, spec);
  const base = {
    id: item.linkId,
    text,
    textLang: lang,
    provenance: { kind: 'instrument', instrumentId: q.id ?? '' },
  } as const;
  if ((item.type === 'choice' || item.type === 'open-choice') && Array.isArray(item.answerOption)) {
    const options: ChoiceOption[] = [];
    for (const option of item.answerOption) {
      const code = optionCode(option);
      if (code === null) continue;
      const coding = option.valueCoding as { display?: string; _display?: unknown } | undefined;
      const label = coding ? texts(coding.display ?? code, coding._display, q, spec).text : { nl: code, en: code };
      options.push({ code, label });
    }
    return { ...base, input: { kind: 'choice', options } };
  }
  if (item.type === 'integer' || item.type === 'decimal') {
    const min = extensionNumber(item, FHIR_URL.minValue);
    const max = extensionNumber(item, FHIR_URL.maxValue);
    const lower = anchor(item, 'lower', q, spec);
    const upper = anchor(item, 'upper', q, spec);
    if (item.type === 'integer' && min !== undefined && max !== undefined && max - min <= 10 && lower && upper) {
      return { ...base, input: { kind: 'scale', min, max, minLabel: lower, maxLabel: upper } };
    }
    return { ...base, input: { kind: 'number', min: min ?? 0, max: max ?? 1_000_000, unit: { nl: '', en: '' } } };
  }
  if (item.type === 'boolean') return { ...base, input: { kind: 'yesno' } };
  if (item.type === 'string' || item.type === 'text')
    return { ...base, input: { kind: 'text', maxLength: typeof item.maxLength === 'number' ? item.maxLength : 4000 } };
  return null;
}

function questions(
  items: QuestionnaireItem[] | undefined,
  q: Questionnaire,
  spec: ScoringSpec | null,
): SelfCheckItem[] {
  const out: SelfCheckItem[] = [];
  for (const item of items ?? []) {
    if (item.type === 'group') out.push(...questions(item.item, q, spec));
    else if (item.type !== 'display') {
      const converted = toItem(item, q, spec);
      if (converted) out.push(converted);
    }
  }
  return out;
}

/** The answerable items of a questionnaire, in document order. */
export function itemsFromQuestionnaire(q: Questionnaire, spec: ScoringSpec | null): SelfCheckItem[] {
  return questions(q.item, q, spec);
}

export interface QuestionnaireGroup {
  linkId: string;
  title: LocalText;
  items: SelfCheckItem[];
  /** A simple enableWhen on a boolean question: the group applies only when that answer equals `equals`. */
  enableWhen: { question: string; equals: boolean } | null;
}

/** Top-level groups (and loose top-level questions, each as a group of one without a title). */
export function groupsFromQuestionnaire(q: Questionnaire, spec: ScoringSpec | null): QuestionnaireGroup[] {
  return (q.item ?? []).map((item) => {
    const condition =
      item.enableWhen?.length === 1 &&
      item.enableWhen[0].operator === '=' &&
      typeof item.enableWhen[0].answerBoolean === 'boolean'
        ? { question: item.enableWhen[0].question, equals: item.enableWhen[0].answerBoolean }
        : null;
    if (item.type === 'group')
      return {
        linkId: item.linkId,
        title: texts(item.text, item._text, q, spec).text,
        items: questions(item.item, q, spec),
        enableWhen: condition,
      };
    return { linkId: item.linkId, title: { nl: '', en: '' }, items: questions([item], q, spec), enableWhen: condition };
  });
}

function answerFor(item: QuestionnaireItem, value: Answers[string]): Record<string, unknown> | null {
  if (Array.isArray(item.answerOption) && typeof value === 'string') {
    const option = item.answerOption.find((o) => optionCode(o) === value);
    if (option?.valueCoding) return { valueCoding: option.valueCoding };
    if (option && typeof option.valueInteger === 'number') return { valueInteger: option.valueInteger };
    if (option && typeof option.valueString === 'string') return { valueString: option.valueString };
    return null;
  }
  if (typeof value === 'number') return item.type === 'decimal' ? { valueDecimal: value } : { valueInteger: value };
  if (typeof value === 'boolean') return { valueBoolean: value };
  if (typeof value === 'string') return { valueString: value };
  return null;
}

function responseItems(list: QuestionnaireItem[] | undefined, answers: Answers): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const item of list ?? []) {
    if (item.type === 'group') {
      const children = responseItems(item.item, answers);
      if (children.length > 0) out.push({ linkId: item.linkId, item: children });
      continue;
    }
    const value = answers[item.linkId];
    if (value === undefined || item.type === 'display') continue;
    const answer = answerFor(item, value);
    if (answer) out.push({ linkId: item.linkId, answer: [answer] });
  }
  return out;
}

/** A QuestionnaireResponse (groups mirrored) carrying the stored answers for this questionnaire's items. */
export function questionnaireResponseFor(q: Questionnaire, answers: Answers): Record<string, unknown> {
  return {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    questionnaire: q.url ?? q.id,
    item: responseItems(q.item, answers),
  };
}

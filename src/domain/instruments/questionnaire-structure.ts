import type { AnswerOption, QuestionnaireItem } from './fhir.ts';
import { ANSWER_OPTION_KEYS, ITEM_TYPES, QUESTIONNAIRE_STATUSES, URL } from './fhir.ts';
import { checkExtensions, itemRange, optionScoreExtensions } from './extensions.ts';
import { isFiniteNumber, isNonEmptyString, isObject, pointer, type IssueList } from './issues.ts';
import { isValidLoincCode } from './loinc.ts';

/** Where an item sits: its JSON pointer, its parent item (null at the top) and nesting depth. */
export interface ItemInfo {
  item: QuestionnaireItem;
  path: string;
  parent: string | null;
}

export type ItemIndex = Map<string, ItemInfo>;

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const OPTIONAL_STRINGS = ['url', 'version', 'name', 'title', 'language', 'description', 'copyright', 'publisher', 'date'] as const;

/**
 * Checks the R4 shape of a Questionnaire and builds the linkId index. Tolerates any JSON: every problem
 * becomes an issue and the walk continues, so one run reports everything. Returns null when the input is
 * not even an object.
 */
export function checkQuestionnaireStructure(input: unknown, list: IssueList): ItemIndex | null {
  if (!isObject(input)) {
    list.error('', 'NOT_AN_OBJECT', 'A Questionnaire must be a JSON object.');
    return null;
  }
  if (input.resourceType !== 'Questionnaire') {
    list.error('/resourceType', 'RESOURCE_TYPE', `Expected "Questionnaire", found ${JSON.stringify(input.resourceType ?? null)}.`);
  }
  if (!QUESTIONNAIRE_STATUSES.includes(input.status as (typeof QUESTIONNAIRE_STATUSES)[number])) {
    list.error('/status', 'STATUS_INVALID', `status must be one of ${QUESTIONNAIRE_STATUSES.join(', ')}.`);
  }
  if (input.id !== undefined && (typeof input.id !== 'string' || !ID_PATTERN.test(input.id))) {
    list.error('/id', 'FIELD_TYPE', 'id must be 1–64 letters, digits, "-" or ".".');
  }
  for (const key of OPTIONAL_STRINGS) {
    if (input[key] !== undefined && typeof input[key] !== 'string') list.error(`/${key}`, 'FIELD_TYPE', `${key} must be a string.`);
  }
  checkCodings(input.code, '/code', list);
  checkExtensions(input.extension, '/extension', list);
  if (isObject(input._title)) checkTranslations(input._title.extension, '/_title/extension', list);

  const index: ItemIndex = new Map();
  if (!Array.isArray(input.item) || input.item.length === 0) {
    list.error('/item', input.item === undefined ? 'FIELD_MISSING' : 'FIELD_TYPE', 'A questionnaire needs a non-empty item array.');
    return index;
  }
  walkItems(input.item, '/item', null, index, list);
  return index;
}

function walkItems(items: unknown[], path: string, parent: string | null, index: ItemIndex, list: IssueList): void {
  items.forEach((raw, i) => {
    const p = pointer(path, i);
    if (!isObject(raw)) {
      list.error(p, 'NOT_AN_OBJECT', 'An item must be a JSON object.');
      return;
    }
    const item = raw as QuestionnaireItem;
    let linkId: string | null = null;
    if (!isNonEmptyString(item.linkId)) list.error(pointer(p, 'linkId'), 'LINKID_MISSING');
    else if (index.has(item.linkId)) {
      list.error(pointer(p, 'linkId'), 'LINKID_DUPLICATE', `linkId "${item.linkId}" is also used at ${index.get(item.linkId)?.path}.`);
    } else {
      linkId = item.linkId;
      index.set(linkId, { item, path: p, parent });
    }
    checkItem(item, p, list);
    if (item.item !== undefined) {
      if (!Array.isArray(item.item)) list.error(pointer(p, 'item'), 'FIELD_TYPE', 'item must be an array.');
      else walkItems(item.item, pointer(p, 'item'), linkId, index, list);
    }
  });
}

function checkItem(item: QuestionnaireItem, p: string, list: IssueList): void {
  const type = item.type;
  const typeOk = typeof type === 'string' && (ITEM_TYPES as readonly string[]).includes(type);
  if (!typeOk) list.error(pointer(p, 'type'), 'ITEM_TYPE_INVALID', `type ${JSON.stringify(type ?? null)} is not an R4 item type.`);
  if (item.text !== undefined && typeof item.text !== 'string') list.error(pointer(p, 'text'), 'FIELD_TYPE', 'text must be a string.');
  if (item.text === undefined && type !== 'group') list.warn(p, 'ITEM_TEXT_MISSING');
  for (const key of ['required', 'repeats', 'readOnly'] as const) {
    if (item[key] !== undefined && typeof item[key] !== 'boolean') list.error(pointer(p, key), 'FIELD_TYPE', `${key} must be true or false.`);
  }
  if (item.maxLength !== undefined && !(Number.isInteger(item.maxLength) && item.maxLength > 0)) {
    list.error(pointer(p, 'maxLength'), 'FIELD_TYPE', 'maxLength must be a positive integer.');
  }
  checkCodings(item.code, pointer(p, 'code'), list);
  checkExtensions(item.extension, pointer(p, 'extension'), list);
  if (isObject(item._text)) checkTranslations(item._text.extension, pointer(p, '_text', 'extension'), list);

  const hasChildren = Array.isArray(item.item) && item.item.length > 0;
  if (type === 'group' && !hasChildren) list.error(p, 'GROUP_EMPTY');
  if (type === 'display' && item.item !== undefined) list.error(pointer(p, 'item'), 'DISPLAY_HAS_CHILDREN');

  const isChoice = type === 'choice' || type === 'open-choice';
  if (!isChoice && (item.answerOption !== undefined || item.answerValueSet !== undefined)) {
    list.error(pointer(p, item.answerOption !== undefined ? 'answerOption' : 'answerValueSet'), 'ANSWER_OPTIONS_NOT_ALLOWED');
  }
  if (isChoice && item.answerOption === undefined && item.answerValueSet === undefined) list.error(p, 'CHOICE_WITHOUT_OPTIONS');
  if (item.answerValueSet !== undefined) {
    if (typeof item.answerValueSet !== 'string') list.error(pointer(p, 'answerValueSet'), 'FIELD_TYPE', 'answerValueSet must be a canonical URL string.');
    else list.warn(pointer(p, 'answerValueSet'), 'ANSWER_VALUESET_UNCHECKED');
  }
  if (item.answerOption !== undefined) checkAnswerOptions(item.answerOption, pointer(p, 'answerOption'), list);
  if (type === 'integer' || type === 'decimal') checkRange(item, p, list);
}

function checkAnswerOptions(options: unknown, path: string, list: IssueList): void {
  if (!Array.isArray(options) || options.length === 0) {
    list.error(path, 'FIELD_TYPE', 'answerOption must be a non-empty array.');
    return;
  }
  const seen = new Map<string, number>();
  options.forEach((raw, i) => {
    const p = pointer(path, i);
    if (!isObject(raw)) {
      list.error(p, 'NOT_AN_OBJECT', 'An answerOption must be a JSON object.');
      return;
    }
    const option = raw as AnswerOption;
    const keys = ANSWER_OPTION_KEYS.filter((k) => option[k] !== undefined);
    if (keys.length !== 1) {
      list.error(p, 'ANSWER_OPTION_VALUE', `Found ${keys.length} value[x] elements; exactly one is required.`);
      return;
    }
    const key = keys[0];
    const value: unknown = option[key];
    const valueOk =
      key === 'valueInteger' ? Number.isInteger(value)
      : key === 'valueCoding' ? isObject(value) && isNonEmptyString(value.code) && (value.system === undefined || typeof value.system === 'string')
      : key === 'valueReference' ? isObject(value)
      : typeof value === 'string' && value !== '';
    if (!valueOk) {
      list.error(pointer(p, key), 'ANSWER_OPTION_VALUE', key === 'valueCoding' ? 'valueCoding needs a code string.' : `${key} has the wrong type.`);
      return;
    }
    const identity = key === 'valueCoding' ? `coding:${(value as { code: string }).code}` : `${key}:${JSON.stringify(value)}`;
    if (seen.has(identity)) list.error(pointer(p, key), 'ANSWER_OPTION_DUPLICATE', `Same value as answerOption ${seen.get(identity)}.`);
    else seen.set(identity, i);
    if (key === 'valueCoding') checkExtensions((value as { extension?: unknown }).extension, pointer(p, 'valueCoding', 'extension'), list);
    checkExtensions(option.extension, pointer(p, 'extension'), list);
    checkOptionScores(option, p, list);
  });
}

function checkOptionScores(option: AnswerOption, p: string, list: IssueList): void {
  const found = optionScoreExtensions(option, p);
  for (const { ext, path } of found) {
    if (!isFiniteNumber(ext.valueDecimal)) list.error(path, 'ORDINAL_VALUE_INVALID');
  }
  const values = new Set(found.map((f) => f.ext.valueDecimal).filter(isFiniteNumber));
  if (values.size > 1) list.warn(p, 'ORDINAL_VALUE_CONFLICT', `Scores ${[...values].join(' and ')}; ordinalValue wins.`);
}

function checkRange(item: QuestionnaireItem, p: string, list: IssueList): void {
  const exts = Array.isArray(item.extension) ? item.extension : [];
  exts.forEach((ext, i) => {
    if (!isObject(ext) || (ext.url !== URL.minValue && ext.url !== URL.maxValue)) return;
    const v = ext.valueInteger ?? ext.valueDecimal;
    if (!isFiniteNumber(v)) list.error(pointer(p, 'extension', i), 'MIN_MAX_INVALID', 'minValue/maxValue need valueInteger or valueDecimal.');
  });
  const { min, max } = itemRange(item.extension);
  if (min !== undefined && max !== undefined && min > max) list.error(pointer(p, 'extension'), 'MIN_MAX_INVALID', `minValue ${min} exceeds maxValue ${max}.`);
}

function checkCodings(value: unknown, path: string, list: IssueList): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    list.error(path, 'FIELD_TYPE', 'code must be an array of Codings.');
    return;
  }
  value.forEach((c, i) => {
    const p = pointer(path, i);
    if (!isObject(c)) return list.error(p, 'NOT_AN_OBJECT', 'A Coding must be a JSON object.');
    for (const key of ['system', 'code', 'display'] as const) {
      if (c[key] !== undefined && typeof c[key] !== 'string') list.error(pointer(p, key), 'FIELD_TYPE', `${key} must be a string.`);
    }
    if (c.system === URL.loinc && typeof c.code === 'string' && !isValidLoincCode(c.code)) {
      list.warn(pointer(p, 'code'), 'LOINC_CODE_INVALID', `"${c.code}" is not a well-formed LOINC code (check digit).`);
    }
  });
}

/** FHIR translation extensions (lang + content) on a primitive's `_element`. */
export function checkTranslations(value: unknown, path: string, list: IssueList): void {
  if (!Array.isArray(value)) return;
  value.forEach((ext, i) => {
    if (!isObject(ext) || ext.url !== URL.translation) return;
    const parts = Array.isArray(ext.extension) ? ext.extension : [];
    const lang = parts.find((s) => isObject(s) && s.url === 'lang');
    const content = parts.find((s) => isObject(s) && s.url === 'content');
    const ok = isObject(lang) && isNonEmptyString(lang.valueCode) && isObject(content) && typeof content.valueString === 'string';
    if (!ok) list.error(pointer(path, i), 'TRANSLATION_INVALID');
  });
}

import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, ResponseAnswer } from './fhir.ts';
import { ANSWER_KEY_BY_TYPE, RESPONSE_STATUSES } from './fhir.ts';
import { disabledItems, isQuestion, type AnswerMap } from './enable-when.ts';
import { itemRange } from './extensions.ts';
import { IssueList, isFiniteNumber, isObject, pointer, type Issue } from './issues.ts';
import { checkQuestionnaireStructure, type ItemIndex } from './questionnaire-structure.ts';

export interface ResponseValidation {
  ok: boolean;
  issues: Issue[];
  response: QuestionnaireResponse | null;
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Validates a QuestionnaireResponse (any JSON) against a valid Questionnaire: known linkIds in the right
 * place, answer types and options, ranges, enableWhen, and required items (for completed responses).
 */
export function validateResponse(questionnaire: Questionnaire, input: unknown): ResponseValidation {
  const list = new IssueList();
  const index = indexOf(questionnaire);
  if (!isObject(input)) {
    list.error('', 'NOT_AN_OBJECT', 'A QuestionnaireResponse must be a JSON object.');
    return { ok: false, issues: list.items, response: null };
  }
  if (input.resourceType !== 'QuestionnaireResponse') {
    list.error('/resourceType', 'RESOURCE_TYPE', `Expected "QuestionnaireResponse", found ${JSON.stringify(input.resourceType ?? null)}.`);
  }
  const status = input.status;
  if (!(RESPONSE_STATUSES as readonly unknown[]).includes(status)) list.error('/status', 'STATUS_INVALID', `status must be one of ${RESPONSE_STATUSES.join(', ')}.`);
  checkQuestionnaireRef(questionnaire, input.questionnaire, list);

  const answers: AnswerMap = new Map();
  const answerPaths = new Map<string, string>();
  if (input.item !== undefined) {
    if (!Array.isArray(input.item)) list.error('/item', 'FIELD_TYPE', 'item must be an array.');
    else walk(input.item, '/item', null, index, answers, answerPaths, list);
  }
  const disabled = disabledItems(index, answers);
  for (const [linkId, path] of answerPaths) {
    if (disabled.has(linkId)) list.error(path, 'ANSWER_TO_DISABLED_ITEM', `"${linkId}" is not enabled by its enableWhen, yet it has an answer.`);
  }
  if (status === 'completed' || status === 'amended') checkRequired(index, answers, disabled, list);
  return { ok: !list.hasErrors, issues: list.items, response: list.hasErrors ? null : (input as QuestionnaireResponse) };
}

// The item index per questionnaire object, so validating many responses walks the questionnaire once.
const indexes = new WeakMap<object, ItemIndex>();

function indexOf(questionnaire: Questionnaire): ItemIndex {
  let index = indexes.get(questionnaire);
  if (!index) {
    index = checkQuestionnaireStructure(questionnaire, new IssueList()) ?? new Map();
    if (typeof questionnaire === 'object' && questionnaire !== null) indexes.set(questionnaire, index);
  }
  return index;
}

function checkQuestionnaireRef(q: Questionnaire, ref: unknown, list: IssueList): void {
  if (ref === undefined) return;
  if (typeof ref !== 'string') return list.error('/questionnaire', 'FIELD_TYPE', 'questionnaire must be a canonical URL string.');
  const accepted = new Set<string>();
  if (q.url) {
    accepted.add(q.url);
    if (q.version) accepted.add(`${q.url}|${q.version}`);
  }
  if (q.id) {
    accepted.add(q.id);
    accepted.add(`Questionnaire/${q.id}`);
  }
  if (accepted.size > 0 && !accepted.has(ref)) list.error('/questionnaire', 'QUESTIONNAIRE_MISMATCH', `"${ref}" is not ${[...accepted].join(' or ')}.`);
}

function walk(items: unknown[], path: string, parent: string | null, index: ItemIndex, answers: AnswerMap, answerPaths: Map<string, string>, list: IssueList): void {
  const seenHere = new Set<string>();
  items.forEach((raw, i) => {
    const p = pointer(path, i);
    if (!isObject(raw)) return list.error(p, 'NOT_AN_OBJECT', 'A response item must be a JSON object.');
    if (typeof raw.linkId !== 'string' || raw.linkId === '') return list.error(pointer(p, 'linkId'), 'LINKID_MISSING');
    const linkId = raw.linkId;
    const info = index.get(linkId);
    if (!info) return list.error(pointer(p, 'linkId'), 'ITEM_UNKNOWN', `The questionnaire has no item "${linkId}".`);
    if (info.parent !== parent) {
      list.error(pointer(p, 'linkId'), 'ITEM_MISPLACED', `"${linkId}" belongs ${info.parent === null ? 'at the top level' : `under "${info.parent}"`}.`);
    }
    if (seenHere.has(linkId) && !info.item.repeats) list.error(pointer(p, 'linkId'), 'ITEM_REPEATED', `"${linkId}" occurs more than once here.`);
    seenHere.add(linkId);
    if (raw.answer !== undefined) checkAnswers(raw.answer, pointer(p, 'answer'), info.item, index, answers, answerPaths, list);
    if (raw.item !== undefined) {
      if (!Array.isArray(raw.item)) list.error(pointer(p, 'item'), 'FIELD_TYPE', 'item must be an array.');
      else walk(raw.item, pointer(p, 'item'), linkId, index, answers, answerPaths, list);
    }
  });
}

function checkAnswers(value: unknown, path: string, item: QuestionnaireItem, index: ItemIndex, answers: AnswerMap, answerPaths: Map<string, string>, list: IssueList): void {
  if (!Array.isArray(value)) return list.error(path, 'FIELD_TYPE', 'answer must be an array.');
  if (!isQuestion(item)) return list.error(path, 'ANSWER_NOT_ALLOWED', `"${item.linkId}" is a ${item.type} item.`);
  if (value.length === 0) return list.error(path, 'ANSWER_EMPTY', 'answer must not be an empty array.');
  if (value.length > 1 && !item.repeats) list.error(path, 'ANSWER_MULTIPLE', `"${item.linkId}" does not repeat but has ${value.length} answers.`);
  value.forEach((a, i) => {
    const p = pointer(path, i);
    if (!isObject(a)) return list.error(p, 'NOT_AN_OBJECT', 'An answer must be a JSON object.');
    if (checkAnswerValue(a as ResponseAnswer, p, item, list)) {
      const given = answers.get(item.linkId) ?? [];
      given.push(a as ResponseAnswer);
      answers.set(item.linkId, given);
      if (!answerPaths.has(item.linkId)) answerPaths.set(item.linkId, path);
    }
    if (a.item !== undefined) {
      if (!Array.isArray(a.item)) list.error(pointer(p, 'item'), 'FIELD_TYPE', 'item must be an array.');
      else walk(a.item, pointer(p, 'item'), item.linkId, index, answers, answerPaths, list);
    }
  });
}

/** Returns true when the answer is well-typed and allowed (so it counts for enableWhen and required). */
function checkAnswerValue(answer: ResponseAnswer, p: string, item: QuestionnaireItem, list: IssueList): boolean {
  const keys = Object.keys(answer).filter((k) => k.startsWith('value'));
  if (keys.length === 0) {
    list.error(p, 'ANSWER_EMPTY');
    return false;
  }
  if (keys.length > 1) {
    list.error(p, 'ANSWER_TYPE', `An answer carries one value[x]; found ${keys.join(', ')}.`);
    return false;
  }
  const key = keys[0];
  const v = answer[key];
  const vp = pointer(p, key);
  const allowed = allowedKeys(item);
  if (!allowed.includes(key)) {
    list.error(vp, 'ANSWER_TYPE', `A ${item.type} item takes ${allowed.join(' or ') || 'no answer'}, not ${key}.`);
    return false;
  }
  if (!wellTyped(key, v)) {
    list.error(vp, 'ANSWER_TYPE', `${key} has the wrong form (${JSON.stringify(v)}).`);
    return false;
  }
  if ((item.type === 'choice' || (item.type === 'open-choice' && key !== 'valueString')) && Array.isArray(item.answerOption)) {
    if (!inOptions(item, key, v)) {
      list.error(vp, 'ANSWER_NOT_IN_OPTIONS', `${JSON.stringify(v)} is not an option of "${item.linkId}".`);
      return false;
    }
  }
  if (item.type === 'integer' || item.type === 'decimal') {
    const { min, max } = itemRange(item.extension);
    if ((min !== undefined && (v as number) < min) || (max !== undefined && (v as number) > max)) {
      list.error(vp, 'ANSWER_OUT_OF_RANGE', `${String(v)} lies outside ${min ?? '-∞'}..${max ?? '∞'}.`);
      return false;
    }
  }
  if (typeof v === 'string' && item.maxLength !== undefined && v.length > item.maxLength) {
    list.error(vp, 'ANSWER_OUT_OF_RANGE', `Longer than maxLength ${item.maxLength}.`);
    return false;
  }
  return true;
}

function allowedKeys(item: QuestionnaireItem): readonly string[] {
  const base = typeof item.type === 'string' && Object.hasOwn(ANSWER_KEY_BY_TYPE, item.type) ? ANSWER_KEY_BY_TYPE[item.type] : [];
  if ((item.type !== 'choice' && item.type !== 'open-choice') || !Array.isArray(item.answerOption)) return base;
  // With answerOptions, the answer carries the options' value type (open-choice also free text).
  const kinds = new Set(item.answerOption.flatMap((o) => (isObject(o) ? Object.keys(o).filter((k) => k.startsWith('value')) : [])));
  if (item.type === 'open-choice') kinds.add('valueString');
  return base.filter((k) => kinds.has(k));
}

function wellTyped(key: string, v: unknown): boolean {
  switch (key) {
    case 'valueBoolean': return typeof v === 'boolean';
    case 'valueInteger': return Number.isInteger(v);
    case 'valueDecimal': return isFiniteNumber(v);
    case 'valueDate': return typeof v === 'string' && DATE.test(v);
    case 'valueDateTime': return typeof v === 'string' && DATE_TIME.test(v);
    case 'valueTime': return typeof v === 'string' && TIME.test(v);
    case 'valueString':
    case 'valueUri': return typeof v === 'string' && v !== '';
    case 'valueCoding': return isObject(v) && (typeof v.code === 'string' || typeof v.display === 'string');
    case 'valueQuantity': return isObject(v) && isFiniteNumber(v.value);
    default: return isObject(v);
  }
}

function inOptions(item: QuestionnaireItem, key: string, v: unknown): boolean {
  return (item.answerOption ?? []).some((o) => {
    if (!isObject(o) || o[key] === undefined) return false;
    if (key !== 'valueCoding') return o[key] === v || (key === 'valueReference' && JSON.stringify(o[key]) === JSON.stringify(v));
    const a = v as { system?: string; code?: string };
    const b = o.valueCoding as { system?: string; code?: string };
    return a.code === b.code && (a.system === undefined || b.system === undefined || a.system === b.system);
  });
}

function checkRequired(index: ItemIndex, answers: AnswerMap, disabled: Set<string>, list: IssueList): void {
  const answeredBelow = (linkId: string): boolean => {
    for (const [id, info] of index) if (info.parent === linkId && (answers.has(id) || answeredBelow(id))) return true;
    return false;
  };
  for (const [linkId, { item, parent }] of index) {
    if (item.required !== true || disabled.has(linkId)) continue;
    // A required child of an unanswered parent question, or of an optional group left wholly empty, is
    // not required (R4/SDC semantics).
    const parentItem = parent === null ? null : index.get(parent)!.item;
    if (parentItem && isQuestion(parentItem) && !answers.has(parent!)) continue;
    if (parentItem && parentItem.type === 'group' && parentItem.required !== true && !answeredBelow(parent!)) continue;
    const answered = isQuestion(item) ? answers.has(linkId) : item.type === 'group' ? answeredBelow(linkId) : true;
    if (!answered) list.error('/item', 'REQUIRED_MISSING', `Required item "${linkId}" has no answer.`);
  }
}

import type { Coding, EnableWhen, QuestionnaireItem, ResponseAnswer } from './fhir.ts';
import { ENABLE_WHEN_OPERATORS } from './fhir.ts';
import { isObject, pointer, type IssueList } from './issues.ts';
import type { ItemIndex } from './questionnaire-structure.ts';

const ANSWER_KEYS = [
  'answerBoolean', 'answerDecimal', 'answerInteger', 'answerDate', 'answerDateTime', 'answerTime',
  'answerString', 'answerCoding', 'answerQuantity', 'answerReference',
] as const;

/** Which enableWhen answer[x] fits each target item type. */
const ANSWER_FOR_TYPE: Record<string, readonly string[]> = {
  boolean: ['answerBoolean'],
  decimal: ['answerDecimal', 'answerInteger'],
  integer: ['answerInteger', 'answerDecimal'],
  date: ['answerDate'],
  dateTime: ['answerDateTime'],
  time: ['answerTime'],
  string: ['answerString'],
  text: ['answerString'],
  url: ['answerString'],
  choice: ['answerCoding', 'answerString', 'answerInteger', 'answerDate', 'answerTime', 'answerReference'],
  'open-choice': ['answerCoding', 'answerString', 'answerInteger', 'answerDate', 'answerTime', 'answerReference'],
  quantity: ['answerQuantity'],
  reference: ['answerReference'],
  attachment: [],
  group: [],
  display: [],
};

const ORDERED = new Set(['answerDecimal', 'answerInteger', 'answerDate', 'answerDateTime', 'answerTime', 'answerQuantity', 'answerString']);

/** Static check of every enableWhen against the item index (targets exist, operators and answers fit). */
export function checkEnableWhen(index: ItemIndex, list: IssueList): void {
  for (const [linkId, { item, path }] of index) {
    if (item.enableWhen === undefined) continue;
    const ewPath = pointer(path, 'enableWhen');
    if (!Array.isArray(item.enableWhen) || item.enableWhen.length === 0) {
      list.error(ewPath, 'FIELD_TYPE', 'enableWhen must be a non-empty array.');
      continue;
    }
    if (item.enableBehavior !== undefined && item.enableBehavior !== 'all' && item.enableBehavior !== 'any') {
      list.error(pointer(path, 'enableBehavior'), 'ENABLE_BEHAVIOR_INVALID');
    } else if (item.enableWhen.length > 1 && item.enableBehavior === undefined) {
      list.error(path, 'ENABLE_BEHAVIOR_MISSING');
    }
    item.enableWhen.forEach((ew, i) => checkCondition(ew, pointer(ewPath, i), linkId, index, list));
  }
}

function checkCondition(ew: unknown, p: string, self: string, index: ItemIndex, list: IssueList): void {
  if (!isObject(ew)) return list.error(p, 'NOT_AN_OBJECT', 'An enableWhen must be a JSON object.');
  const target = typeof ew.question === 'string' ? index.get(ew.question) : undefined;
  if (typeof ew.question !== 'string' || !target) {
    list.error(pointer(p, 'question'), 'ENABLE_WHEN_QUESTION_UNKNOWN', `No item has linkId ${JSON.stringify(ew.question ?? null)}.`);
  } else if (ew.question === self) {
    list.error(pointer(p, 'question'), 'ENABLE_WHEN_SELF');
  }
  const operator = ew.operator;
  if (!(ENABLE_WHEN_OPERATORS as readonly unknown[]).includes(operator)) {
    list.error(pointer(p, 'operator'), 'ENABLE_WHEN_OPERATOR_INVALID', `operator ${JSON.stringify(operator ?? null)} is not one of ${ENABLE_WHEN_OPERATORS.join(' ')}.`);
    return;
  }
  const keys = ANSWER_KEYS.filter((k) => ew[k] !== undefined);
  if (keys.length !== 1) {
    list.error(p, 'ENABLE_WHEN_ANSWER_INVALID', `Found ${keys.length} answer[x] elements; exactly one is required.`);
    return;
  }
  const key = keys[0];
  if (operator === 'exists') {
    if (key !== 'answerBoolean' || typeof ew.answerBoolean !== 'boolean') list.error(pointer(p, key), 'ENABLE_WHEN_ANSWER_INVALID', 'operator exists needs answerBoolean.');
    return;
  }
  if (!target || ew.question === self) return;
  const allowed = typeof target.item.type === 'string' && Object.hasOwn(ANSWER_FOR_TYPE, target.item.type) ? ANSWER_FOR_TYPE[target.item.type] : [];
  if (!allowed.includes(key)) {
    list.error(pointer(p, key), 'ENABLE_WHEN_ANSWER_INVALID', `${key} does not fit a ${JSON.stringify(target.item.type ?? null)} item.`);
    return;
  }
  if ((operator === '>' || operator === '<' || operator === '>=' || operator === '<=') && !ORDERED.has(key)) {
    list.error(pointer(p, 'operator'), 'ENABLE_WHEN_OPERATOR_INVALID', `${operator} cannot compare ${key}.`);
  }
  if (key === 'answerCoding' && Array.isArray(target.item.answerOption)) {
    const code = isObject(ew.answerCoding) ? ew.answerCoding.code : undefined;
    const known = target.item.answerOption.some((o) => isObject(o) && isObject(o.valueCoding) && o.valueCoding.code === code);
    if (!known) list.warn(pointer(p, 'answerCoding'), 'ENABLE_WHEN_ANSWER_NOT_AN_OPTION', `Code ${JSON.stringify(code ?? null)} is not an option of "${ew.question}".`);
  }
}

/** Answers given per linkId, used to evaluate enableWhen at response time. */
export type AnswerMap = Map<string, ResponseAnswer[]>;

/**
 * Items that are disabled for these answers (R4 semantics): an item is disabled when its conditions fail
 * or any ancestor is disabled. With no answer, `!=` counts as met and ordered comparisons as not met.
 */
export function disabledItems(index: ItemIndex, answers: AnswerMap): Set<string> {
  const disabled = new Set<string>();
  const memo = new Map<string, boolean>();
  const enabled = (linkId: string, depth: number): boolean => {
    const known = memo.get(linkId);
    if (known !== undefined) return known;
    const info = index.get(linkId);
    let result = true;
    if (info && depth < 64) {
      if (info.parent !== null && !enabled(info.parent, depth + 1)) result = false;
      else if (Array.isArray(info.item.enableWhen) && info.item.enableWhen.length > 0) {
        const outcomes = info.item.enableWhen.map((ew) => conditionMet(ew, answers));
        result = info.item.enableBehavior === 'any' ? outcomes.some(Boolean) : outcomes.every(Boolean);
      }
    }
    memo.set(linkId, result);
    return result;
  };
  for (const linkId of index.keys()) if (!enabled(linkId, 0)) disabled.add(linkId);
  return disabled;
}

function conditionMet(ew: EnableWhen, answers: AnswerMap): boolean {
  const given = answers.get(ew.question) ?? [];
  if (ew.operator === 'exists') return (given.length > 0) === (ew.answerBoolean === true);
  const key = ANSWER_KEYS.find((k) => ew[k] !== undefined);
  if (!key) return false;
  const expected = ew[key];
  if (ew.operator === '!=') return !given.some((a) => compare(a, key, expected) === 0);
  return given.some((a) => {
    const c = compare(a, key, expected);
    if (c === null) return false;
    switch (ew.operator) {
      case '=': return c === 0;
      case '>': return c > 0;
      case '<': return c < 0;
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      default: return false;
    }
  });
}

/** Compares one response answer with an enableWhen answer; null when they are not comparable. */
function compare(answer: ResponseAnswer, key: string, expected: unknown): number | null {
  if (key === 'answerCoding') {
    const a = answer.valueCoding;
    const e = expected as Coding;
    if (!isObject(a) || !isObject(e)) return null;
    const systemsAgree = a.system === undefined || e.system === undefined || a.system === e.system;
    return systemsAgree && a.code === e.code ? 0 : 1;
  }
  if (key === 'answerQuantity') return order(answer.valueQuantity?.value, (expected as { value?: number })?.value);
  if (key === 'answerDecimal' || key === 'answerInteger') return order(answer.valueDecimal ?? answer.valueInteger, expected);
  const field = 'value' + key.slice('answer'.length);
  return order(answer[field], expected);
}

function order(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : 1;
  return null;
}

export function isQuestion(item: QuestionnaireItem): boolean {
  return item.type !== 'group' && item.type !== 'display';
}

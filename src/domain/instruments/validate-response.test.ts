import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileScorer, validateResponse, type IssueCode, type Questionnaire } from './index.ts';
import { baseQuestionnaire, baseResponse, type Json } from '../../../test/fixtures/instruments/base-questionnaire.ts';
import { numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';

const q = baseQuestionnaire() as Questionnaire;

/** [name, mutation (or replacement), expected code, expected JSON pointer]. */
const malformed: [string, (r: Json) => unknown, IssueCode, string][] = [
  ['a string', () => 'response', 'NOT_AN_OBJECT', ''],
  ['null', () => null, 'NOT_AN_OBJECT', ''],
  ['wrong resourceType', (r) => { r.resourceType = 'Questionnaire'; }, 'RESOURCE_TYPE', '/resourceType'],
  ['status missing', (r) => { delete r.status; }, 'STATUS_INVALID', '/status'],
  ['status final', (r) => { r.status = 'final'; }, 'STATUS_INVALID', '/status'],
  ['another questionnaire', (r) => { r.questionnaire = 'https://example.org/Questionnaire/other'; }, 'QUESTIONNAIRE_MISMATCH', '/questionnaire'],
  ['questionnaire not a string', (r) => { r.questionnaire = { reference: 'x' }; }, 'FIELD_TYPE', '/questionnaire'],
  ['item not an array', (r) => { r.item = { linkId: 'a' }; }, 'FIELD_TYPE', '/item'],
  ['item not an object', (r) => { r.item[1] = 7; }, 'NOT_AN_OBJECT', '/item/1'],
  ['linkId missing', (r) => { delete r.item[1].linkId; }, 'LINKID_MISSING', '/item/1/linkId'],
  ['unknown linkId', (r) => { r.item.push({ linkId: 'zz', answer: [{ valueString: 'x' }] }); }, 'ITEM_UNKNOWN', '/item/6/linkId'],
  ['nested item at the top level', (r) => { r.item.push({ linkId: 'd', answer: [{ valueBoolean: false }] }); }, 'ITEM_MISPLACED', '/item/6/linkId'],
  ['top-level item inside a group', (r) => { r.item[3].item.push({ linkId: 'c', answer: [{ valueInteger: 1 }] }); }, 'ITEM_MISPLACED', '/item/3/item/2/linkId'],
  ['non-repeating item twice', (r) => { r.item.push({ linkId: 'c', answer: [{ valueInteger: 2 }] }); }, 'ITEM_REPEATED', '/item/6/linkId'],
  ['answer not an array', (r) => { r.item[2].answer = { valueInteger: 7 }; }, 'FIELD_TYPE', '/item/2/answer'],
  ['empty answer array', (r) => { r.item[2].answer = []; }, 'ANSWER_EMPTY', '/item/2/answer'],
  ['answer without value', (r) => { r.item[2].answer = [{}]; }, 'ANSWER_EMPTY', '/item/2/answer/0'],
  ['answer not an object', (r) => { r.item[2].answer = [7]; }, 'NOT_AN_OBJECT', '/item/2/answer/0'],
  ['answer with two values', (r) => { r.item[2].answer = [{ valueInteger: 7, valueString: '7' }]; }, 'ANSWER_TYPE', '/item/2/answer/0'],
  ['group with an answer', (r) => { r.item[3].answer = [{ valueString: 'x' }]; }, 'ANSWER_NOT_ALLOWED', '/item/3/answer'],
  ['two answers to a non-repeating item', (r) => { r.item[2].answer.push({ valueInteger: 8 }); }, 'ANSWER_MULTIPLE', '/item/2/answer'],
  ['string for an integer item', (r) => { r.item[2].answer = [{ valueString: '7' }]; }, 'ANSWER_TYPE', '/item/2/answer/0/valueString'],
  ['fractional valueInteger', (r) => { r.item[2].answer = [{ valueInteger: 7.5 }]; }, 'ANSWER_TYPE', '/item/2/answer/0/valueInteger'],
  ['integer above maxValue', (r) => { r.item[2].answer = [{ valueInteger: 11 }]; }, 'ANSWER_OUT_OF_RANGE', '/item/2/answer/0/valueInteger'],
  ['integer below minValue', (r) => { r.item[2].answer = [{ valueInteger: -1 }]; }, 'ANSWER_OUT_OF_RANGE', '/item/2/answer/0/valueInteger'],
  ['string longer than maxLength', (r) => { r.item[3].item[1].answer = [{ valueString: 'x'.repeat(21) }]; }, 'ANSWER_OUT_OF_RANGE', '/item/3/item/1/answer/0/valueString'],
  ['code that is not an option', (r) => { r.item[0].answer = [{ valueCoding: { code: '9' } }]; }, 'ANSWER_NOT_IN_OPTIONS', '/item/0/answer/0/valueCoding'],
  ['option code from another system', (r) => { r.item[0].answer = [{ valueCoding: { system: 'http://loinc.org', code: '1' } }]; }, 'ANSWER_NOT_IN_OPTIONS', '/item/0/answer/0/valueCoding'],
  ['coding for a string-option item', (r) => { r.item[4].answer = [{ valueCoding: { code: 'x' } }]; }, 'ANSWER_TYPE', '/item/4/answer/0/valueCoding'],
  ['string that is not an option', (r) => { r.item[4].answer = [{ valueString: 'z' }]; }, 'ANSWER_NOT_IN_OPTIONS', '/item/4/answer/0/valueString'],
  ['boolean as a string', (r) => { r.item[3].item[0].answer = [{ valueBoolean: 'true' }]; }, 'ANSWER_TYPE', '/item/3/item/0/answer/0/valueBoolean'],
  ['malformed date', (r) => { r.item[5].answer = [{ valueDate: '31-01-2025' }]; }, 'ANSWER_TYPE', '/item/5/answer/0/valueDate'],
  ['valueCoding without code or display', (r) => { r.item[0].answer = [{ valueCoding: { system: 'x' } }]; }, 'ANSWER_TYPE', '/item/0/answer/0/valueCoding'],
  ['answer to an item disabled by enableWhen', (r) => { r.item[3].item[0].answer = [{ valueBoolean: false }]; }, 'ANSWER_TO_DISABLED_ITEM', '/item/3/item/1/answer'],
  ['required item missing', (r) => { r.item.splice(0, 1); }, 'REQUIRED_MISSING', '/item'],
  ['required item enabled but unanswered', (r) => { r.item[3].item.splice(1, 1); }, 'REQUIRED_MISSING', '/item'],
];

describe('validateResponse: malformed responses', () => {
  it('has at least 30 cases', () => expect(malformed.length).toBeGreaterThanOrEqual(30));
  it('accepts the base response', () => {
    const v = validateResponse(q, baseResponse());
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
  });
  for (const [name, mutate, code, path] of malformed) {
    it(`${name} → ${code} at ${path || '/'}`, () => {
      const r = baseResponse();
      const replaced = mutate(r);
      const v = validateResponse(q, replaced === undefined ? r : replaced);
      expect(v.ok).toBe(false);
      expect(v.issues).toContainEqual(expect.objectContaining({ code, path, severity: 'error' }));
    });
  }
});

describe('validateResponse: semantics', () => {
  it('does not require answers of an in-progress response', () => {
    const r = baseResponse();
    r.status = 'in-progress';
    r.item.splice(0, 1);
    expect(validateResponse(q, r).ok).toBe(true);
  });
  it('does not require a disabled item', () => {
    const r = baseResponse();
    r.item[3].item = [{ linkId: 'd', answer: [{ valueBoolean: false }] }];
    expect(validateResponse(q, r).ok).toBe(true);
  });
  it('accepts a reference by id and an answer coding without system', () => {
    const r = baseResponse();
    r.questionnaire = 'Questionnaire/test';
    expect(validateResponse(q, r).ok).toBe(true);
  });
  it('accepts shipped-instrument responses built from their options, including nested groups', () => {
    const tears = shipped('spiegel-tears');
    const answers = { 'crying-proneness': 4, 'crying-last': 'last week', 'ever-cried': false, ...numbered('never', [5, 4, 3, 2, 1, 7]), ...numbered('occasion', [true, false]), ...numbered('attitude', [7, 7, 7, 4, 1, 1, 1, 1, 1]) };
    expect(validateResponse(tears, respond(tears, answers)).issues).toEqual([]);
    const cried = { ...answers, 'ever-cried': true };
    const v = validateResponse(tears, respond(tears, cried));
    expect(v.issues.map((i) => i.code)).toEqual(['ANSWER_TO_DISABLED_ITEM', 'ANSWER_TO_DISABLED_ITEM', 'ANSWER_TO_DISABLED_ITEM', 'ANSWER_TO_DISABLED_ITEM', 'ANSWER_TO_DISABLED_ITEM', 'ANSWER_TO_DISABLED_ITEM']);
    const phq9 = shipped('phq9');
    expect(validateResponse(phq9, respond(phq9, numbered('phq9', [0, 1, 2, 3, 0, 1, 2, 3, 0]))).ok).toBe(true);
  });
});

describe('validateResponse and scoring never throw', () => {
  const phq9 = shipped('phq9');
  const scorer = compileScorer(phq9);
  it('on arbitrary values', () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      validateResponse(q, value);
      validateResponse(phq9, value);
      scorer.score(value);
    }), { numRuns: 500 });
  });
  it('on responses with random answers in the right places', () => {
    const answer = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ valueCoding: fc.record({ code: fc.string(), system: fc.string() }, { requiredKeys: [] }) }));
    const item = fc.record({ linkId: fc.constantFrom('a', 'b', 'c', 'g', 'd', 'e', 'f', 'h', 'phq9-1', 'phq9-9'), answer: fc.array(answer, { maxLength: 2 }) }, { requiredKeys: ['linkId'] });
    fc.assert(fc.property(fc.array(item, { maxLength: 8 }), fc.constantFrom('completed', 'in-progress', 'x'), (items, status) => {
      const r = { resourceType: 'QuestionnaireResponse', status, item: items };
      validateResponse(q, r);
      const v = validateResponse(phq9, r);
      const result = scorer.score(r);
      if (v.ok) expect(result.invalidAnswers).toEqual([]);
    }), { numRuns: 500 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileScorer, validateQuestionnaire, type IssueCode } from './index.ts';
import { baseQuestionnaire, type Json } from '../../../test/fixtures/instruments/base-questionnaire.ts';
import { CIRG_PHQ4, LHC_PHQ9, fixture, shipped, shippedIds } from '../../../test/fixtures/instruments/load.ts';

const SP = '/extension/0/extension';
const SCALE = `${SP}/2/extension`;
const scaleExt = (q: Json): Json[] => q.extension[0].extension[2].extension;
const tr = (lang: string, content?: string) => ({
  url: 'http://hl7.org/fhir/StructureDefinition/translation',
  extension: [{ url: 'lang', valueCode: lang }, ...(content === undefined ? [] : [{ url: 'content', valueString: content }])],
});

/** [name, mutation (or a whole replacement document), expected code, expected JSON pointer]. */
const malformed: [string, (q: Json) => unknown, IssueCode, string][] = [
  ['a number', () => 42, 'NOT_AN_OBJECT', ''],
  ['an array', () => [], 'NOT_AN_OBJECT', ''],
  ['wrong resourceType', (q) => ({ ...q, resourceType: 'Patient' }), 'RESOURCE_TYPE', '/resourceType'],
  ['status missing', (q) => { delete q.status; }, 'STATUS_INVALID', '/status'],
  ['status not a Questionnaire status', (q) => { q.status = 'final'; }, 'STATUS_INVALID', '/status'],
  ['id with a space', (q) => { q.id = 'has space'; }, 'FIELD_TYPE', '/id'],
  ['title not a string', (q) => { q.title = 5; }, 'FIELD_TYPE', '/title'],
  ['no items', (q) => { delete q.item; }, 'FIELD_MISSING', '/item'],
  ['item not an array', (q) => { q.item = {}; }, 'FIELD_TYPE', '/item'],
  ['item not an object', (q) => { q.item[0] = 'x'; }, 'NOT_AN_OBJECT', '/item/0'],
  ['linkId missing', (q) => { delete q.item[2].linkId; }, 'LINKID_MISSING', '/item/2/linkId'],
  ['duplicate linkId', (q) => { q.item[2].linkId = 'a'; }, 'LINKID_DUPLICATE', '/item/2/linkId'],
  ['abstract item type question', (q) => { q.item[2].type = 'question'; }, 'ITEM_TYPE_INVALID', '/item/2/type'],
  ['item type missing', (q) => { delete q.item[5].type; }, 'ITEM_TYPE_INVALID', '/item/5/type'],
  ['empty group', (q) => { q.item[3].item = []; }, 'GROUP_EMPTY', '/item/3'],
  ['display with children', (q) => { q.item.push({ linkId: 'x', text: 'X', type: 'display', item: [{ linkId: 'y', text: 'Y', type: 'string' }] }); }, 'DISPLAY_HAS_CHILDREN', '/item/6/item'],
  ['answerOption on an integer item', (q) => { q.item[2].answerOption = [{ valueInteger: 1 }]; }, 'ANSWER_OPTIONS_NOT_ALLOWED', '/item/2/answerOption'],
  ['choice without options', (q) => { delete q.item[4].answerOption; }, 'CHOICE_WITHOUT_OPTIONS', '/item/4'],
  ['answerOption with two values', (q) => { q.item[0].answerOption[0].valueString = 'x'; }, 'ANSWER_OPTION_VALUE', '/item/0/answerOption/0'],
  ['answerOption coding without code', (q) => { delete q.item[0].answerOption[0].valueCoding.code; }, 'ANSWER_OPTION_VALUE', '/item/0/answerOption/0/valueCoding'],
  ['answerOption integer not whole', (q) => { q.item[4].answerOption = [{ valueInteger: 1.5 }]; }, 'ANSWER_OPTION_VALUE', '/item/4/answerOption/0/valueInteger'],
  ['duplicate answer code', (q) => { q.item[0].answerOption[1].valueCoding.code = '0'; }, 'ANSWER_OPTION_DUPLICATE', '/item/0/answerOption/1/valueCoding'],
  ['ordinalValue not a decimal', (q) => { q.item[0].answerOption[0].extension[0] = { url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueString: '0' }; }, 'ORDINAL_VALUE_INVALID', '/item/0/answerOption/0/extension/0'],
  ['extension without url', (q) => { q.item[2].extension.push({ valueInteger: 1 }); }, 'EXTENSION_INVALID', '/item/2/extension/2'],
  ['minValue above maxValue', (q) => { q.item[2].extension[0].valueInteger = 11; }, 'MIN_MAX_INVALID', '/item/2/extension'],
  ['required not a boolean', (q) => { q.item[0].required = 'yes'; }, 'FIELD_TYPE', '/item/0/required'],
  ['maxLength not positive', (q) => { q.item[3].item[1].maxLength = 0; }, 'FIELD_TYPE', '/item/3/item/1/maxLength'],
  ['enableWhen unknown question', (q) => { q.item[3].item[1].enableWhen[0].question = 'zz'; }, 'ENABLE_WHEN_QUESTION_UNKNOWN', '/item/3/item/1/enableWhen/0/question'],
  ['enableWhen on itself', (q) => { q.item[3].item[1].enableWhen[0] = { question: 'e', operator: 'exists', answerBoolean: true }; }, 'ENABLE_WHEN_SELF', '/item/3/item/1/enableWhen/0/question'],
  ['enableWhen unknown operator', (q) => { q.item[3].item[1].enableWhen[0].operator = 'equals'; }, 'ENABLE_WHEN_OPERATOR_INVALID', '/item/3/item/1/enableWhen/0/operator'],
  ['enableWhen > on a boolean', (q) => { q.item[3].item[1].enableWhen[0].operator = '>'; }, 'ENABLE_WHEN_OPERATOR_INVALID', '/item/3/item/1/enableWhen/0/operator'],
  ['enableWhen answerCoding on a boolean', (q) => { q.item[3].item[1].enableWhen[0] = { question: 'd', operator: '=', answerCoding: { code: 'x' } }; }, 'ENABLE_WHEN_ANSWER_INVALID', '/item/3/item/1/enableWhen/0/answerCoding'],
  ['enableWhen exists without answerBoolean', (q) => { q.item[3].item[1].enableWhen[0] = { question: 'd', operator: 'exists', answerInteger: 1 }; }, 'ENABLE_WHEN_ANSWER_INVALID', '/item/3/item/1/enableWhen/0/answerInteger'],
  ['enableWhen without answer', (q) => { delete q.item[3].item[1].enableWhen[0].answerBoolean; }, 'ENABLE_WHEN_ANSWER_INVALID', '/item/3/item/1/enableWhen/0'],
  ['two enableWhen without enableBehavior', (q) => { q.item[3].item[1].enableWhen.push({ question: 'c', operator: '>', answerInteger: 3 }); }, 'ENABLE_BEHAVIOR_MISSING', '/item/3/item/1'],
  ['enableBehavior not all/any', (q) => { q.item[3].item[1].enableBehavior = 'some'; }, 'ENABLE_BEHAVIOR_INVALID', '/item/3/item/1/enableBehavior'],
  ['translation without content', (q) => { q.item[0]._text = { extension: [tr('nl')] }; }, 'TRANSLATION_INVALID', '/item/0/_text/extension/0'],
  ['answerValueSet not a string', (q) => { q.item[4].answerValueSet = 5; }, 'FIELD_TYPE', '/item/4/answerValueSet'],
  ['unknown Spiegel sub-extension', (q) => { q.extension[0].extension.push({ url: 'scales', valueString: 'x' }); }, 'SUB_EXTENSION_UNKNOWN', `${SP}/4/url`],
  ['Spiegel extension twice', (q) => { q.extension.push(structuredClone(q.extension[0])); }, 'SCORING_DUPLICATE_EXTENSION', '/extension/1'],
  ['scale method median', (q) => { scaleExt(q)[1].valueCode = 'median'; }, 'SCALE_METHOD_INVALID', `${SCALE}/1/valueCode`],
  ['scale method twice', (q) => { scaleExt(q).push({ url: 'method', valueCode: 'mean' }); }, 'SUB_EXTENSION_REPEATED', `${SCALE}/11`],
  ['scale without items', (q) => { scaleExt(q).splice(2, 3); }, 'SCALE_ITEMS_EMPTY', `${SP}/2`],
  ['scale item unknown', (q) => { scaleExt(q)[2].valueString = 'zz'; }, 'SCALE_ITEM_UNKNOWN', `${SCALE}/2/valueString`],
  ['scale item listed twice', (q) => { scaleExt(q)[3].valueString = 'a'; scaleExt(q).splice(4, 1); }, 'SCALE_ITEM_REPEATED', `${SCALE}/3/valueString`],
  ['scale item without scores', (q) => { scaleExt(q)[3].valueString = 'h'; scaleExt(q).splice(4, 1); }, 'SCALE_ITEM_UNSCORABLE', `${SCALE}/3/valueString`],
  ['reverse item outside the scale', (q) => { scaleExt(q)[4].valueString = 'c'; }, 'REVERSE_NOT_IN_SCALE', `${SCALE}/4/valueString`],
  ['reverse without itemMin/itemMax', (q) => { scaleExt(q).splice(5, 2); }, 'REVERSE_RANGE_MISSING', `${SP}/2`],
  ['answer score outside itemMin..itemMax', (q) => { q.item[0].answerOption[2].extension[0].valueDecimal = 3; }, 'SCALE_SCORE_OUT_OF_RANGE', '/item/0/answerOption/2'],
  ['itemMin as a string', (q) => { scaleExt(q)[5] = { url: 'itemMin', valueString: '0' }; }, 'SCORING_EXTENSION_INVALID', `${SCALE}/5/valueDecimal`],
  ['bands not ascending', (q) => { scaleExt(q)[9].extension[0].valueDecimal = 0; }, 'BANDS_NOT_ASCENDING', `${SCALE}/9`],
  ['bands without a source', (q) => { scaleExt(q).splice(10, 1); }, 'SOURCE_MISSING', `${SP}/2`],
  ['missing rule above 1', (q) => { scaleExt(q).push({ url: 'maxMissingFraction', valueDecimal: 1.5 }); }, 'MISSING_RULE_INVALID', `${SCALE}/11`],
  ['direction unknown', (q) => { scaleExt(q)[7].valueCode = 'up'; }, 'DIRECTION_INVALID', `${SCALE}/7/valueCode`],
  ['subscale of an unknown scale', (q) => { scaleExt(q).push({ url: 'subscaleOf', valueId: 'nope' }); }, 'SUBSCALE_PARENT_UNKNOWN', `${SCALE}/11`],
  ['reliability above 1', (q) => { scaleExt(q).push({ url: 'reliability', extension: [{ url: 'value', valueDecimal: 1.2 }, { url: 'source', valueString: 's' }] }); }, 'NUMBER_INVALID', `${SCALE}/11`],
  ['reliability without a source', (q) => { scaleExt(q).push({ url: 'reliability', extension: [{ url: 'value', valueDecimal: 0.8 }] }); }, 'SOURCE_MISSING', `${SCALE}/11`],
  ['two scales with one id', (q) => { q.extension[0].extension.push(structuredClone(q.extension[0].extension[2])); }, 'SCALE_ID_DUPLICATE', `${SP}/4/extension`],
  ['risk operator =>', (q) => { q.extension[0].extension[3].extension[1].valueCode = '=>'; }, 'OPERATOR_INVALID', `${SP}/3/extension/1/valueCode`],
  ['risk on an unknown item', (q) => { q.extension[0].extension[3].extension[0].valueString = 'zz'; }, 'SCALE_ITEM_UNKNOWN', `${SP}/3`],
  ['licence field missing', (q) => { q.extension[0].extension[1].extension.pop(); }, 'FIELD_MISSING', `${SP}/1`],
  ['licence without source', (q) => { q.extension[0].extension[1].extension.splice(1, 1); }, 'SOURCE_MISSING', `${SP}/1`],
  ['copyright required but absent', (q) => { delete q.copyright; }, 'COPYRIGHT_REQUIRED', '/copyright'],
  ['translation status unknown', (q) => { q.extension[0].extension.push({ url: 'translation', extension: [{ url: 'lang', valueCode: 'nl' }, { url: 'status', valueCode: 'official' }] }); }, 'TRANSLATION_STATUS_INVALID', `${SP}/4/extension/1/valueCode`],
  ['own translation under a no-derivatives licence', (q) => {
    q.extension[0].extension[1].extension[4].valueBoolean = false;
    q.item[0]._text = { extension: [tr('nl', 'Vraag A')] };
  }, 'TRANSLATION_NOT_ALLOWED', '/item/0/_text/extension/0'],
];

describe('validateQuestionnaire: malformed questionnaires', () => {
  it('has at least 30 cases', () => expect(malformed.length).toBeGreaterThanOrEqual(30));
  it('accepts the base questionnaire', () => {
    const v = validateQuestionnaire(baseQuestionnaire());
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
  });
  for (const [name, mutate, code, path] of malformed) {
    it(`${name} → ${code} at ${path || '/'}`, () => {
      const q = baseQuestionnaire();
      const replaced = mutate(q);
      const v = validateQuestionnaire(replaced === undefined ? q : replaced);
      expect(v.ok).toBe(false);
      expect(v.issues).toContainEqual(expect.objectContaining({ code, path, severity: 'error' }));
    });
  }
});

describe('validateQuestionnaire: warnings do not block', () => {
  const warnings: [string, (q: Json) => void, IssueCode, string][] = [
    ['bad LOINC check digit', (q) => { q.code[0].code = '44249-2'; }, 'LOINC_CODE_INVALID', '/code/0/code'],
    ['question without text', (q) => { delete q.item[5].text; }, 'ITEM_TEXT_MISSING', '/item/5'],
    ['value set binding', (q) => { delete q.item[4].answerOption; q.item[4].answerValueSet = 'http://example.org/vs'; }, 'ANSWER_VALUESET_UNCHECKED', '/item/4/answerValueSet'],
    ['foreign extension with a mistyped value', (q) => { q.item[5].extension = [{ url: 'http://example.org/x', valueString: 1 }]; }, 'EXTENSION_VALUE_TYPE', '/item/5/extension/0/valueString'],
    ['translation without a Spiegel status', (q) => { q.item[0]._text = { extension: [tr('nl', 'Vraag A')] }; }, 'TRANSLATION_STATUS_MISSING', '/item/0/_text/extension/0'],
    ['no licence', (q) => { q.extension[0].extension.splice(1, 1); q.copyright = undefined; }, 'LICENCE_MISSING', '/extension/0'],
  ];
  for (const [name, mutate, code, path] of warnings) {
    it(name, () => {
      const q = baseQuestionnaire();
      mutate(q);
      const v = validateQuestionnaire(q);
      expect(v.issues).toContainEqual(expect.objectContaining({ code, path, severity: 'warning' }));
      expect(v.ok).toBe(true);
    });
  }
  it('requires a licence for library instruments', () => {
    const q = baseQuestionnaire();
    q.extension[0].extension.splice(1, 1);
    expect(validateQuestionnaire(q, { requireLicence: true }).ok).toBe(false);
  });
});

describe('validateQuestionnaire: real files', () => {
  for (const id of shippedIds()) {
    it(`shipped ${id} is valid with licence metadata and no warnings`, () => {
      const v = validateQuestionnaire(shipped(id), { requireLicence: true });
      expect(v.issues).toEqual([]);
      expect(v.scoring?.scales.length).toBeGreaterThan(0);
    });
  }
  it('the LHC-Forms PHQ-9 is valid but unscored, with its optionPrefix quirk as a warning', () => {
    const v = validateQuestionnaire(fixture(LHC_PHQ9));
    expect(v.ok).toBe(true);
    expect(v.issues.map((i) => [i.code, i.path])).toEqual([
      ['EXTENSION_VALUE_TYPE', '/item/2/answerOption/1/extension/0/valueString'],
      ['UNSCORED', '/extension'],
    ]);
  });
  it('the CIRG PHQ-4 is valid but unscored', () => {
    expect(validateQuestionnaire(fixture(CIRG_PHQ4)).ok).toBe(true);
  });
});

/** Every JSON pointer-addressable location of a document, for mutation fuzzing. */
function locations(doc: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(doc)) doc.forEach((v, i) => locations(v, [...path, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) locations(v, [...path, k], out);
  return out;
}

function replaceAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

describe('validateQuestionnaire never throws', () => {
  it('on arbitrary values', () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      const v = validateQuestionnaire(value);
      expect(Array.isArray(v.issues)).toBe(true);
    }), { numRuns: 500 });
  });
  for (const id of ['phq9', 'core10', 'spiegel-tears']) {
    it(`on random mutations of ${id}, and whatever passes also compiles and scores`, () => {
      const q = shipped(id);
      const where = locations(q);
      fc.assert(fc.property(fc.nat(where.length - 1), fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 3 }), (at, value, response) => {
        const mutated = replaceAt(q, where[at], value);
        const v = validateQuestionnaire(mutated);
        if (v.ok) compileScorer(mutated).score(response);
      }), { numRuns: 400 });
    });
  }
});

import { describe, expect, it } from 'vitest';
import { baseQuestionnaireCheck } from '../../server/fhir-schema.ts';
import { checkOrgImport, importRefusal } from './org-import.ts';
import { testQuestionnaire } from './test-questionnaire.ts';

// Each bad import gets its own registry code; the report lists findings by JSON pointer.
const shipped = [testQuestionnaire({ id: 'test-shipped', dutch: false, restricted: false })];
const check = (value: unknown) =>
  checkOrgImport(typeof value === 'string' ? value : JSON.stringify(value), shipped, baseQuestionnaireCheck);
const refusal = (value: unknown, acknowledged = true) => importRefusal(check(value), acknowledged)?.code ?? null;

/** The file as text: built by hand, because JSON.stringify itself recurses. */
function nested(depth: number): string {
  const q = testQuestionnaire({ restricted: false });
  const open = Array.from({ length: depth }, (_, i) => `{"linkId":"g${i}","type":"group","text":"TEST group","item":[`);
  const inner = '{"linkId":"deep","type":"string","text":"TEST deep"}';
  const chain = open.join('') + inner + ']}'.repeat(depth);
  const text = JSON.stringify(q);
  return text.slice(0, text.lastIndexOf(']')) + ',' + chain + ']}';
}

describe('organisation import checks', () => {
  it('accepts the test-only questionnaire and reports its restricted licence and translations', () => {
    const report = check(testQuestionnaire());
    expect(report.errorCode).toBeNull();
    expect(report.kind).toBe('questionnaire');
    expect(report.licence.acknowledgementRequired).toBe(true);
    expect(report.translations.map((t) => `${t.lang}:${t.status}`)).toEqual(['en:original', 'nl:verified']);
    expect(importRefusal(report, false)?.code).toBe('LICENCE_NOT_ACKNOWLEDGED');
    expect(importRefusal(report, true)).toBeNull();
  });

  it('refuses broken JSON', () => expect(refusal('{"resourceType": "Questionnaire",')).toBe('INSTRUMENT_JSON_INVALID'));

  it('refuses another resource type', () =>
    expect(refusal({ resourceType: 'Patient', id: 'x' })).toBe('INSTRUMENT_RESOURCE_TYPE'));

  it('refuses a duplicate linkId with its path', () => {
    const q = testQuestionnaire();
    q.item![1].linkId = 't1';
    const report = check(q);
    expect(report.errorCode).toBe('INSTRUMENT_LINKID_DUPLICATE');
    expect(report.issues.find((i) => i.code === 'LINKID_DUPLICATE')?.path).toBe('/item/1/linkId');
  });

  it('refuses a cycle of enableWhen conditions', () => {
    const q = testQuestionnaire();
    const when = (question: string) => [{ question, operator: 'exists', answerBoolean: true }];
    q.item![0].enableWhen = when('t2') as never;
    q.item![1].enableWhen = when('t3') as never;
    q.item![2].enableWhen = when('t1') as never;
    const report = check(q);
    expect(report.errorCode).toBe('INSTRUMENT_ENABLE_WHEN_CYCLE');
    expect(report.issues.find((i) => i.code === 'ENABLE_WHEN_CYCLE')?.reason).toMatch(/t1 → t2 → t3 → t1/);
  });

  it('refuses nesting 3,000 deep with a clear error, not a stack overflow', () => {
    const report = check(nested(3000));
    expect(report.errorCode).toBe('INSTRUMENT_TOO_DEEP');
    expect(report.issues[0].code).toBe('ITEM_TOO_DEEP');
    expect(check(nested(5)).errorCode).toBeNull();
  });

  it('checks base FHIR R4: a url that is not a uri fails', () => {
    const q = testQuestionnaire();
    q.url = 'not a uri';
    const report = check(q);
    expect(report.errorCode).toBe('INSTRUMENT_FHIR_INVALID');
    expect(report.issues.find((i) => i.code === 'FHIR_BASE_INVALID')?.path).toBe('/url');
  });

  it('takes a matching translation overlay and merges only its translations', () => {
    const overlay = testQuestionnaire({ id: 'test-shipped', restricted: false });
    const report = check(overlay);
    expect(report.errorCode).toBeNull();
    expect(report.kind).toBe('translation');
    expect(report.instrumentId).toBe('test-shipped');
    const merged = report.questionnaire!;
    expect(JSON.stringify(merged.item![0]._text)).toContain('TESTTEKST vraag 1');
    expect(report.translations.find((t) => t.lang === 'nl')?.source).toMatch(/TEST FIXTURE/);
  });

  it('refuses an overlay that does not match item for item, listing every difference', () => {
    const overlay = testQuestionnaire({ id: 'test-shipped', restricted: false });
    overlay.item![1].linkId = 'other';
    overlay.item![2].answerOption!.pop();
    const report = check(overlay);
    expect(report.errorCode).toBe('TRANSLATION_MISMATCH');
    const paths = report.issues.filter((i) => i.code === 'TRANSLATION_MISMATCH').map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/item/1/linkId', '/item/2/answerOption']));
  });

  it('refuses an overlay whose translation has no declared source', () => {
    const overlay = testQuestionnaire({ id: 'test-shipped', restricted: false });
    const scoring = overlay.extension![0];
    scoring.extension = scoring.extension!.filter(
      (e) => !(e.url === 'translation' && e.extension?.some((s) => s.valueCode === 'nl')),
    );
    expect(check(overlay).errorCode).toBe('TRANSLATION_MISMATCH');
  });
});

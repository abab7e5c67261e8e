import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalculatedExpressions, compileScorer, crossCheckCalculated, importQuestionnaire, validateQuestionnaire, type Questionnaire, type ScoreResult } from './index.ts';
import { CIRG_PHQ4, LHC_PHQ9, fixture, numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';

const known = ['phq9', 'gad7', 'phq4'].map(shipped);
const LA = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];
const PHQ9_ITEMS = Array.from({ length: 9 }, (_, i) => `phq9-${i + 1}`);
const LHC_ITEMS = ['/44250-9', '/44255-8', '/44259-0', '/44254-1', '/44251-7', '/44258-2', '/44252-5', '/44253-3', '/44260-8'];

function lhcResponse(scores: (number | null)[], withSystem: boolean) {
  return {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    item: scores.flatMap((s, i) => (s === null ? [] : [{ linkId: LHC_ITEMS[i], answer: [{ valueCoding: { ...(withSystem ? { system: 'http://loinc.org' } : {}), code: LA[s] } }] }])),
  };
}

/** What must be identical between two instruments' results, with item ids mapped to positions. */
function comparable(result: ScoreResult, items: string[]) {
  return {
    scales: result.scales.map((s) => ({ value: s.value, status: s.status, band: s.band?.code ?? null, prorated: s.prorated, clinical: s.clinicalRange, code: s.code?.code, rc: s.reliableChange })),
    risks: result.risks.map((r) => [r.code, items.indexOf(r.item), r.answerScore]),
    unanswered: result.unansweredRiskItems.map((i) => items.indexOf(i)),
  };
}

describe('importing the LHC-Forms PHQ-9', () => {
  const imported = importQuestionnaire(fixture(LHC_PHQ9), known);

  it('is recognised by LOINC 44249-1 and receives the shipped PHQ-9 rules', () => {
    expect(imported).toMatchObject({ ok: true, recognisedAs: 'phq9', scored: true });
    expect(imported.issues.map((i) => i.code)).toEqual(['EXTENSION_VALUE_TYPE', 'KNOWN_INSTRUMENT_MAPPED']);
    const q = imported.questionnaire!;
    expect(q.copyright).toContain('Pfizer');
    const v = validateQuestionnaire(q);
    expect(v.scoring?.scales[0].items).toEqual(LHC_ITEMS);
    expect(v.scoring?.risks[0].item).toBe('/44260-8');
    expect(v.scoring?.catalog).toMatchObject({ basedOn: 'phq9', shippedByDefault: false, projectAuthored: false });
  });

  it('scores exactly like the shipped PHQ-9 (property)', () => {
    const lhc = compileScorer(imported.questionnaire!);
    const phq9 = shipped('phq9');
    const ours = compileScorer(phq9);
    const answer = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 4 });
    fc.assert(fc.property(fc.array(answer, { minLength: 9, maxLength: 9 }), fc.boolean(), (scores, withSystem) => {
      const a = lhc.score(lhcResponse(scores, withSystem));
      const b = ours.score(respond(phq9, numbered('phq9', scores)));
      expect(comparable(a, LHC_ITEMS)).toEqual(comparable(b, PHQ9_ITEMS));
    }), { numRuns: 1000 });
  });

  it('agrees with its calculatedExpression on complete responses and reports where the rules differ', () => {
    const q = imported.questionnaire!;
    const scorer = compileScorer(q);
    const calc = compileCalculatedExpressions(q);
    expect(calc.count).toBe(1);
    fc.assert(fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 3 }), { minLength: 9, maxLength: 9 }), (scores) => {
      const response = lhcResponse(scores, true);
      const [check] = crossCheckCalculated(calc.evaluate(response), scorer.score(response));
      const answered = scores.filter((s): s is number => s !== null);
      const sum = answered.reduce((x, y) => x + y, 0);
      expect(check.calculated).toBe(answered.length === 0 ? null : sum); // LHC sums what was answered
      if (answered.length === 9) expect(check).toMatchObject({ agree: true, declarative: sum });
      if (answered.length > 0 && answered.length < 8) expect(check).toMatchObject({ agree: false, declarative: null });
    }), { numRuns: 300 });
  });

  it('shows a mismatch for a prorated score', () => {
    const q = imported.questionnaire!;
    const response = lhcResponse([2, 2, 2, 2, null, 2, 2, 2, 2], true);
    const [check] = crossCheckCalculated(compileCalculatedExpressions(q).evaluate(response), compileScorer(q).score(response));
    expect(check).toEqual({ scale: 'total', linkId: '/44261-6', declarative: 18, calculated: 16, agree: false, error: null });
  });
});

describe('importing other questionnaires', () => {
  it('maps the CIRG PHQ-4 by the LHC linkId convention, keeping its own LOINC answer quirk', () => {
    const r = importQuestionnaire(fixture(CIRG_PHQ4), known);
    expect(r).toMatchObject({ ok: true, recognisedAs: 'phq4', scored: true });
    const codes = r.issues.map((i) => [i.code, i.path]);
    expect(codes).toContainEqual(['TEXT_DIFFERS_FROM_KNOWN', '/item/2/text']);
    expect(codes).toContainEqual(['KNOWN_INSTRUMENT_MISMATCH', '/item/2/answerOption/2']);
    const scorer = compileScorer(r.questionnaire!);
    const response = { resourceType: 'QuestionnaireResponse', status: 'completed', item: [
      { linkId: '/69725-0', answer: [{ valueCoding: { code: 'LA6569-3' } }] },
      { linkId: '/68509-9', answer: [{ valueCoding: { code: 'LA18938-3' } }] },
      { linkId: '/44250-9', answer: [{ valueCoding: { code: 'LA6571-9' } }] },
      { linkId: '/44255-8', answer: [{ valueCoding: { code: 'LA6568-5' } }] },
    ] };
    const result = scorer.score(response);
    expect(result.scales.map((s) => [s.id, s.value, s.flags.map((f) => f.code)])).toEqual([
      ['total', 6, []],
      ['anxiety', 3, ['anxiety-screen-positive']],
      ['depression', 3, ['depression-screen-positive']],
    ]);
  });

  it('accepts an unknown questionnaire unscored, with a warning', () => {
    const q = structuredClone(fixture(LHC_PHQ9)) as Questionnaire;
    q.code = [{ system: 'http://loinc.org', code: '69737-5' }]; // claims GAD-7 but has PHQ-9 items
    delete q.identifier;
    const r = importQuestionnaire(q, known);
    expect(r).toMatchObject({ ok: true, scored: false, recognisedAs: null });
    expect(r.issues.map((i) => i.code)).toContain('UNSCORED');
    expect(r.issues.map((i) => i.code)).toContain('KNOWN_INSTRUMENT_MISMATCH');
    expect(r.questionnaire).toBe(q);
  });

  it('refuses a mapping when answer scores contradict the known instrument', () => {
    const q = structuredClone(fixture(LHC_PHQ9)) as Questionnaire;
    q.item![0].answerOption![3].extension![1].valueDecimal = 4;
    const r = importQuestionnaire(q, known);
    expect(r.scored).toBe(false);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'KNOWN_INSTRUMENT_MISMATCH', path: '/item/0/answerOption/3' }));
  });

  it('fills in missing answer scores from the known instrument', () => {
    const q = structuredClone(fixture(LHC_PHQ9)) as Questionnaire;
    for (const item of q.item!) for (const o of item.answerOption ?? []) o.extension = [];
    const r = importQuestionnaire(q, known);
    expect(r.scored).toBe(true);
    const result = compileScorer(r.questionnaire!).score(lhcResponse([3, 3, 3, 3, 3, 3, 3, 3, 3], false));
    expect(result.scales[0].value).toBe(27);
  });

  it('keeps a questionnaire that already has Spiegel rules as it is', () => {
    const q = shipped('gad7');
    expect(importQuestionnaire(q, known)).toMatchObject({ ok: true, scored: true, recognisedAs: null, questionnaire: q });
  });

  it('rejects an invalid questionnaire with its issues', () => {
    const r = importQuestionnaire({ resourceType: 'Questionnaire' }, known);
    expect(r.ok).toBe(false);
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['STATUS_INVALID', 'FIELD_MISSING']);
  });
});

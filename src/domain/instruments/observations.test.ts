import { describe, expect, it } from 'vitest';
import { compileScorer } from './compile.ts';
import { canonicalOf, extractObservations, type ExtractContext } from './observations.ts';
import { numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';

const ctx = (instrumentId: string): ExtractContext => ({
  instrumentId,
  responseUrl: 'urn:uuid:r',
  subject: { reference: 'urn:uuid:p' },
  effectiveDateTime: '2025-03-01T10:00:00+01:00',
  idFor: (key) => key,
});

describe('Observations extracted from a response (smart-forms extractObservation pattern)', () => {
  it('makes one per coded scored item, leaving out unscored items, unanswered ones and items without a code', () => {
    const phq9 = shipped('phq9');
    const scorer = compileScorer(phq9);
    const response = respond(phq9, numbered('phq9', [1, 2, null]));
    const difficulty = phq9.item!.find((i) => i.linkId === 'phq9-difficulty')!;
    response.item!.push({ linkId: difficulty.linkId, answer: [{ valueCoding: difficulty.answerOption![1].valueCoding }] });
    const obs = extractObservations(phq9, scorer.spec, response, [], ctx('phq9'));
    // phq9-difficulty (69722-7) is coded but not scored; phq9-3 is not answered.
    expect(obs.map((o) => o.id)).toEqual(['item/phq9-1', 'item/phq9-2']);
    expect(obs[0]).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '44250-9' }] },
      valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA6569-3' }] },
      derivedFrom: [{ reference: 'urn:uuid:r' }],
      subject: { reference: 'urn:uuid:p' },
      effectiveDateTime: '2025-03-01T10:00:00+01:00',
    });
    const brs = shipped('brs');
    const brsScorer = compileScorer(brs);
    const brsResponse = respond(brs, numbered('brs', [1, 2, 3, 4, 5, 1]));
    expect(extractObservations(brs, brsScorer.spec, brsResponse, [], ctx('brs'))).toEqual([]);
  });

  it('keeps an integer answer as valueInteger, and codes a stored score by its scale', () => {
    const alliance = shipped('spiegel-alliance');
    const scorer = compileScorer(alliance);
    const response = respond(alliance, { 'alliance-bond': 8, 'alliance-goals': 7, 'alliance-approach': 9, 'alliance-overall': 8 });
    const scale = scorer.spec!.scales[0];
    const obs = extractObservations(alliance, scorer.spec, response, [{ scaleId: scale.id, value: 8, band: null }], ctx('spiegel-alliance'));
    const score = obs.find((o) => o.id === `scale/${scale.id}`)!;
    expect(score.code.coding).toContainEqual({ system: 'https://spiegel.example/fhir/CodeSystem/scale', code: `spiegel-alliance/${scale.id}` });
    expect(score.valueQuantity).toMatchObject({ value: 8, unit: '{score}' });
    for (const o of obs.filter((x) => x.id!.startsWith('item/'))) expect(typeof o.valueInteger).toBe('number');
  });

  it('writes the canonical as url|version, or the url alone without a version', () => {
    expect(canonicalOf({ resourceType: 'Questionnaire', status: 'active', url: 'https://x/q', version: '2' })).toBe('https://x/q|2');
    expect(canonicalOf({ resourceType: 'Questionnaire', status: 'active', url: 'https://x/q' })).toBe('https://x/q');
    expect(canonicalOf({ resourceType: 'Questionnaire', status: 'active' })).toBeUndefined();
  });
});

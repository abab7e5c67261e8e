import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FHIR_URL, compileScorer, exportBundle, importBundle, type Observation } from './index.ts';
import { numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';

const counter = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};

describe('FHIR Bundle export', () => {
  const phq9 = shipped('phq9');
  const scorer = compileScorer(phq9);

  it('holds the response, one Observation per scale with its LOINC code, and the risk flags', () => {
    const response = { ...respond(phq9, numbered('phq9', [1, 2, 3, 0, 1, 2, 3, 0, 2])), subject: { reference: 'Patient/p1' }, authored: '2025-03-01T10:00:00+01:00' };
    const bundle = exportBundle(response, scorer.score(response), { newId: counter(), timestamp: '2025-03-01T10:00:01+01:00' });
    expect(bundle.type).toBe('collection');
    expect(bundle.entry!.map((e) => (e.resource as { resourceType: string }).resourceType)).toEqual(['QuestionnaireResponse', 'Observation', 'Observation']);
    const total = bundle.entry![1].resource as Observation;
    expect(total.code.coding).toEqual([
      { system: 'http://loinc.org', code: '44261-6', display: 'Patient health questionnaire 9 item total score' },
      { system: FHIR_URL.spiegelScaleCodes, code: 'phq9/total', display: 'PHQ-9 total score' },
    ]);
    expect(total).toMatchObject({
      status: 'final',
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2025-03-01T10:00:00+01:00',
      valueQuantity: { value: 14, unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' },
      interpretation: [{ coding: [{ code: 'moderate' }] }],
      derivedFrom: [{ reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' }],
    });
    const risk = bundle.entry![2].resource as Observation;
    expect(risk).toMatchObject({ valueBoolean: true, code: { coding: [{ system: FHIR_URL.spiegelRiskCodes, code: 'phq9/self-harm-thoughts' }] } });
  });

  it('writes dataAbsentReason when the missing-item rule withholds the score', () => {
    const response = respond(phq9, numbered('phq9', [1, 1, 1, null, null, 1, 1, 1, 1]));
    const obs = exportBundle(response, scorer.score(response), { newId: counter() }).entry![1].resource as Observation;
    expect(obs.valueQuantity).toBeUndefined();
    expect(obs.dataAbsentReason).toMatchObject({ coding: [{ code: 'unknown' }] });
  });

  for (const id of ['phq9', 'phq4', 'brs', 'core10', 'spiegel-tears']) {
    it(`round-trips ${id} responses and scores through JSON (property)`, () => {
      const q = shipped(id);
      const s = compileScorer(q);
      const items = [...new Set(s.spec!.scales.flatMap((x) => x.items))];
      const lo = s.spec!.scales[0].itemMin ?? 0;
      const hi = s.spec!.scales[0].itemMax ?? 3;
      fc.assert(fc.property(fc.array(fc.option(fc.integer({ min: lo, max: hi }), { nil: null, freq: 4 }), { minLength: items.length, maxLength: items.length }), (values) => {
        const response = respond(q, Object.fromEntries(items.map((linkId, i) => [linkId, values[i]])));
        const score = s.score(response);
        const back = importBundle(JSON.parse(JSON.stringify(exportBundle(response, score))));
        expect(back.ok).toBe(true);
        expect(back.response).toEqual(response);
        expect(back.scores).toEqual(score.scales.map((x) => ({ instrumentId: id, scale: x.id, value: x.value, band: x.band?.code ?? null, loinc: x.code?.code ?? null })));
        expect(back.risks).toEqual(score.risks.map((r) => ({ instrumentId: id, code: r.code, item: r.item })));
        // Re-scoring the imported response gives the imported scores.
        expect(s.score(back.response).scales.map((x) => x.value)).toEqual(back.scores.map((x) => x.value));
      }), { numRuns: 100 });
    });
  }
});

describe('FHIR Bundle import rejects what it cannot read', () => {
  it.each([
    ['not a bundle', { resourceType: 'Patient' }, '/resourceType'],
    ['no entries', { resourceType: 'Bundle', type: 'collection' }, '/entry'],
    ['no response', { resourceType: 'Bundle', type: 'collection', entry: [] }, '/entry'],
    ['two responses', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'QuestionnaireResponse' } }, { resource: { resourceType: 'QuestionnaireResponse' } }] }, '/entry/1'],
    ['an Observation not derived from the response', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:a', resource: { resourceType: 'QuestionnaireResponse' } }, { resource: { resourceType: 'Observation', code: {} } }] }, '/entry/1/resource/derivedFrom'],
  ])('%s', (_name, bundle, path) => {
    const r = importBundle(bundle);
    expect(r.ok).toBe(false);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'BUNDLE_INVALID', path }));
  });
});

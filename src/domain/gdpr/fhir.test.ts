import { describe, expect, it } from 'vitest';
import { checkFhirResource } from '../../server/fhir-schema.ts';
import { compileScorer, type Observation } from '../instruments/index.ts';
import { numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';
import { clientBundle, type ClientExport } from './fhir.ts';

const phq9 = shipped('phq9');
const scorer = compileScorer(phq9);
const RESPONSE = '00000000-0000-4000-8000-000000000003';
const CLIENT = '00000000-0000-4000-8000-000000000001';

function exportOf(answers: (number | null)[]): ClientExport {
  const qr = { ...respond(phq9, numbered('phq9', answers)), authored: '2025-03-01T10:00:00+01:00' };
  const score = scorer.score(qr);
  const base = {
    episode_id: '00000000-0000-4000-8000-000000000002',
    participant_id: '00000000-0000-4000-8000-000000000004',
  };
  return {
    client: { id: CLIENT, code: 'K-001', alias: null, created_at: new Date('2025-01-01') },
    episodes: [
      { id: base.episode_id, modality: 'individual', status: 'active', started_on: '2025-01-06', ended_on: null },
    ],
    participants: [{ id: base.participant_id, episode_id: base.episode_id, label: 'client' }],
    responses: [
      {
        ...base,
        id: RESPONSE,
        instrument_id: 'phq9',
        instrument_version: null,
        session_number: 1,
        submitted_at: new Date('2025-03-01T09:00:00Z'),
        questionnaire_response: qr as unknown as Record<string, unknown>,
      },
    ],
    scores: score.scales.map((s) => ({
      ...base,
      response_id: RESPONSE,
      scale_id: s.id,
      instrument_id: 'phq9',
      session_number: 1,
      value: s.value,
      band: s.band?.code ?? null,
      risk: score.risks.length > 0,
      measured_at: new Date('2025-03-01T09:00:00Z'),
    })),
  };
}

const lookup = () => ({ questionnaire: phq9, spec: scorer.spec });
const DEEP = ['Patient', 'EpisodeOfCare', 'QuestionnaireResponse', 'Observation'];

describe('the FHIR export of a client', () => {
  const bundle = clientBundle(exportOf([1, 2, 3, 0, 1, 2, 3, 0, 2]), lookup, '2025-03-02T10:00:00Z');
  const resources = bundle.entry!.map((e) => e.resource as Record<string, unknown>);
  const observations = resources.filter((r) => r.resourceType === 'Observation') as Observation[];
  const loincOf = (o: Observation) => o.code.coding?.find((c) => c.system === 'http://loinc.org')?.code;

  it('validates as FHIR R4', () => {
    expect(checkFhirResource(bundle, 'Bundle', DEEP)).toEqual([]);
    // The check has teeth: a broken Observation inside the bundle is found.
    const broken = structuredClone(bundle);
    (broken.entry![3].resource as Record<string, unknown>).status = 42;
    expect(checkFhirResource(broken, 'Bundle', DEEP)).not.toEqual([]);
  });

  it('carries the PHQ-9 total as LOINC 44261-6 and each item by its LOINC code, all derived from the response', () => {
    const total = observations.find((o) => loincOf(o) === '44261-6');
    expect(total).toMatchObject({ valueQuantity: { value: 14 }, interpretation: [{ coding: [{ code: 'moderate' }] }] });
    // The item codes as the shipped PHQ-9 carries them; the difficulty item is not scored.
    const itemCodes = phq9.item!.filter((i) => /^phq9-\d$/.test(i.linkId)).map((i) => i.code![0].code);
    expect(itemCodes).toHaveLength(9);
    expect(observations.map(loincOf)).toEqual([...itemCodes, '44261-6']);
    const item1 = observations[0];
    expect(item1.valueCodeableConcept).toEqual({
      coding: [expect.objectContaining({ system: 'http://loinc.org', code: 'LA6569-3' })],
    });
    for (const o of observations) {
      expect(o.derivedFrom).toEqual([{ reference: `urn:uuid:${RESPONSE}` }]);
      expect(o.subject).toEqual({ reference: `urn:uuid:${CLIENT}` });
      expect(o.focus).toEqual([{ reference: 'urn:uuid:00000000-0000-4000-8000-000000000002' }]);
    }
    expect(new Set(bundle.entry!.map((e) => e.fullUrl)).size).toBe(bundle.entry!.length);
  });

  it('puts the subject and the canonical url|version on the QuestionnaireResponse', () => {
    const qr = resources.find((r) => r.resourceType === 'QuestionnaireResponse')!;
    expect(qr).toMatchObject({
      id: RESPONSE,
      questionnaire: `${phq9.url}|${phq9.version}`,
      subject: { reference: `urn:uuid:${CLIENT}` },
    });
  });

  it('names the exact version a response answered: an organisation import has its own url|version', () => {
    const data = exportOf([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    data.responses[0].instrument_version = 3;
    const asked: Array<[string, number | null]> = [];
    const imported = { ...phq9, url: 'https://example.org/fhir/Questionnaire/phq9-nl', version: '2024.1' };
    const out = clientBundle(data, (id, version) => {
      asked.push([id, version]);
      return { questionnaire: imported, spec: scorer.spec };
    });
    expect(asked).toEqual([['phq9', 3]]);
    const qr = out
      .entry!.map((e) => e.resource as Record<string, unknown>)
      .find((r) => r.resourceType === 'QuestionnaireResponse');
    expect(qr!.questionnaire).toBe('https://example.org/fhir/Questionnaire/phq9-nl|2024.1');
  });

  it('writes dataAbsentReason when the missing-item rule withheld the score, and still validates', () => {
    const partial = clientBundle(exportOf([1, 1, 1, null, null, 1, 1, 1, 1]), lookup);
    const total = (partial.entry!.map((e) => e.resource) as Observation[]).find(
      (r) => r.resourceType === 'Observation' && loincOf(r) === '44261-6',
    )!;
    expect(total.valueQuantity).toBeUndefined();
    expect(total.dataAbsentReason).toMatchObject({ coding: [{ code: 'unknown' }] });
    expect(checkFhirResource(partial, 'Bundle', DEEP)).toEqual([]);
  });

  it('keeps the stored response and scores when the instrument is no longer known', () => {
    const unknown = clientBundle(exportOf([1, 2, 3, 0, 1, 2, 3, 0, 2]));
    const obs = unknown.entry!.map((e) => e.resource as Observation).filter((r) => r.resourceType === 'Observation');
    expect(obs.map((o) => o.code.coding)).toEqual([
      [{ system: 'https://spiegel.example/fhir/CodeSystem/scale', code: 'phq9/total' }],
    ]);
    expect(checkFhirResource(unknown, 'Bundle', DEEP)).toEqual([]);
  });
});

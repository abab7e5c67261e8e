import type { Coding, Observation, Questionnaire, QuestionnaireItem, ResponseAnswer, ResponseItem } from './fhir.ts';
import { URL } from './fhir.ts';
import type { ScoringSpec } from './scoring-spec.ts';

/**
 * Observations extracted from one QuestionnaireResponse, after the smart-forms `extractObservation`
 * pattern (SDC observation-based extraction): one Observation per scored item that carries a `code` in
 * the Questionnaire (the LOINC item code where the instrument has one), and one per stored scale score
 * (the scale's LOINC code where it has one, plus the Spiegel scale code). Each Observation is
 * `derivedFrom` the response and has the response's `subject`. Items without a code are left out, as in
 * smart-forms: an Observation needs a code, and Spiegel does not invent one. Pure: no I/O.
 */

/** A score as stored for a response (the stored value, not a re-score, is what the therapist saw). */
export interface StoredScore {
  scaleId: string;
  value: number | null;
  band: string | null;
}

export interface ExtractContext {
  /** The instrument id, for the Spiegel scale code `<instrument>/<scale>`. */
  instrumentId: string;
  /** The fullUrl of the QuestionnaireResponse in the bundle. */
  responseUrl: string;
  subject?: { reference?: string; display?: string };
  effectiveDateTime?: string;
  /** A stable id per Observation: `item/<linkId>` or `scale/<scaleId>`. */
  idFor: (key: string) => string;
}

/** The canonical reference of a Questionnaire: `url|version` (FHIR R4 canonical with version). */
export function canonicalOf(q: Questionnaire): string | undefined {
  if (!q.url) return undefined;
  return q.version ? `${q.url}|${q.version}` : q.url;
}

function* walk<T extends { item?: T[] }>(items: readonly T[] | undefined): Generator<T> {
  for (const item of items ?? []) {
    yield item;
    yield* walk(item.item);
  }
}

/** The first answer to a linkId, anywhere in the response (answers may nest items too). */
function firstAnswer(items: readonly ResponseItem[] | undefined, linkId: string): ResponseAnswer | undefined {
  for (const item of items ?? []) {
    if (item.linkId === linkId && item.answer?.[0]) return item.answer[0];
    const nested = firstAnswer(item.item, linkId) ?? firstAnswer(item.answer?.flatMap((a) => a.item ?? []), linkId);
    if (nested) return nested;
  }
  return undefined;
}

/** Observation.value[x] for an answer, as smart-forms maps it (a Coding becomes a CodeableConcept). */
function valueOf(answer: ResponseAnswer): Partial<Observation> | null {
  if (answer.valueCoding) return { valueCodeableConcept: { coding: [answer.valueCoding] } };
  if (answer.valueInteger !== undefined) return { valueInteger: answer.valueInteger };
  if (answer.valueDecimal !== undefined)
    return { valueQuantity: { value: answer.valueDecimal, unit: '{score}', system: URL.ucum, code: '{score}' } };
  if (answer.valueBoolean !== undefined) return { valueBoolean: answer.valueBoolean };
  if (answer.valueString !== undefined) return { valueString: answer.valueString };
  if (answer.valueQuantity) return { valueQuantity: answer.valueQuantity };
  if (answer.valueDateTime) return { valueDateTime: answer.valueDateTime };
  return null;
}

const SURVEY = [{ coding: [{ system: URL.observationCategory, code: 'survey', display: 'Survey' }] }];

export function extractObservations(
  questionnaire: Questionnaire | null,
  spec: ScoringSpec | null,
  response: { item?: ResponseItem[] },
  scores: readonly StoredScore[],
  ctx: ExtractContext,
): Observation[] {
  const common = {
    resourceType: 'Observation' as const,
    status: 'final',
    category: SURVEY,
    ...(ctx.subject ? { subject: ctx.subject } : {}),
    ...(ctx.effectiveDateTime ? { effectiveDateTime: ctx.effectiveDateTime } : {}),
    derivedFrom: [{ reference: ctx.responseUrl }],
  };
  const out: Observation[] = [];
  const scored = new Set((spec?.scales ?? []).flatMap((s) => s.items));
  for (const item of walk<QuestionnaireItem>(questionnaire?.item)) {
    if (!scored.has(item.linkId) || !item.code?.length) continue;
    const answer = firstAnswer(response.item, item.linkId);
    const value = answer ? valueOf(answer) : null;
    if (!value) continue;
    out.push({
      ...common,
      id: ctx.idFor(`item/${item.linkId}`),
      code: { coding: item.code.map((c) => ({ ...c })), ...(item.text ? { text: item.text } : {}) },
      ...value,
    });
  }
  for (const s of scores) {
    const scale = spec?.scales.find((x) => x.id === s.scaleId);
    const coding: Coding[] = [];
    if (scale?.code?.code) coding.push({ ...scale.code });
    coding.push({ system: URL.spiegelScaleCodes, code: `${ctx.instrumentId}/${s.scaleId}` });
    out.push({
      ...common,
      id: ctx.idFor(`scale/${s.scaleId}`),
      code: { coding, ...(scale ? { text: scale.name.en ?? Object.values(scale.name)[0] } : {}) },
      ...(s.value !== null
        ? { valueQuantity: { value: s.value, unit: '{score}', system: URL.ucum, code: '{score}' } }
        : {
            dataAbsentReason: {
              coding: [{ system: URL.dataAbsentReason, code: 'unknown' }],
              text: 'No score (missing-item rule)',
            },
          }),
      ...(s.band ? { interpretation: [{ coding: [{ system: URL.spiegelBandCodes, code: s.band }] }] } : {}),
    });
  }
  return out;
}


import type { ScoreResult } from './compile.ts';
import type { Bundle, Coding, Observation, QuestionnaireResponse } from './fhir.ts';
import { URL } from './fhir.ts';
import { IssueList, isFiniteNumber, isObject, pointer, type Issue } from './issues.ts';

export interface ExportOptions {
  /** Makes ids; defaults to random UUIDs. Tests pass a counter for stable output. */
  newId?: () => string;
  timestamp?: string;
}

/**
 * Exports one response and its scores as a FHIR Bundle (type collection): the QuestionnaireResponse,
 * one Observation per scale (LOINC code where the instrument has one, plus a Spiegel scale code that
 * makes the import exact) and one Observation per raised risk flag, each derivedFrom the response.
 */
export function exportBundle(response: QuestionnaireResponse, score: ScoreResult, options: ExportOptions = {}): Bundle {
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  const responseUrl = `urn:uuid:${newId()}`;
  const common = {
    status: 'final',
    category: [{ coding: [{ system: URL.observationCategory, code: 'survey', display: 'Survey' }] }],
    ...(response.subject ? { subject: response.subject } : {}),
    ...(response.authored ? { effectiveDateTime: response.authored } : {}),
    derivedFrom: [{ reference: responseUrl }],
  };
  const entries: Bundle['entry'] = [{ fullUrl: responseUrl, resource: response }];
  for (const scale of score.scales) {
    const coding: Coding[] = [];
    if (scale.code?.code) coding.push({ ...scale.code });
    coding.push({ system: URL.spiegelScaleCodes, code: `${score.instrumentId}/${scale.id}`, display: scale.name.en ?? Object.values(scale.name)[0] });
    const obs: Observation = {
      resourceType: 'Observation',
      ...common,
      code: { coding },
      ...(scale.value !== null
        ? { valueQuantity: { value: scale.value, unit: '{score}', system: URL.ucum, code: '{score}' } }
        : { dataAbsentReason: { coding: [{ system: URL.dataAbsentReason, code: 'unknown' }], text: `No score: ${scale.status} (missing-item rule)` } }),
      ...(scale.band ? { interpretation: [{ coding: [{ system: URL.spiegelBandCodes, code: scale.band.code, display: scale.band.label.en ?? Object.values(scale.band.label)[0] }] }] } : {}),
    };
    entries.push({ fullUrl: `urn:uuid:${newId()}`, resource: obs });
  }
  for (const risk of score.risks) {
    const obs: Observation = {
      resourceType: 'Observation',
      ...common,
      code: { coding: [{ system: URL.spiegelRiskCodes, code: `${score.instrumentId}/${risk.code}`, display: risk.label.en ?? Object.values(risk.label)[0] }] },
      valueBoolean: true,
      component: [{ code: { text: 'item' }, valueString: risk.item }, { code: { text: 'answerScore' }, valueQuantity: { value: risk.answerScore } }],
    };
    entries.push({ fullUrl: `urn:uuid:${newId()}`, resource: obs });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: options.timestamp ?? new Date().toISOString(), entry: entries };
}

export interface ImportedScore {
  instrumentId: string;
  scale: string;
  value: number | null;
  band: string | null;
  loinc: string | null;
}

export interface ImportedBundle {
  ok: boolean;
  issues: Issue[];
  response: QuestionnaireResponse | null;
  scores: ImportedScore[];
  risks: { instrumentId: string; code: string; item: string | null }[];
}

/** Reads a bundle written by exportBundle (or a compatible one) back into a response and its scores. */
export function importBundle(bundle: unknown): ImportedBundle {
  const list = new IssueList();
  const out: ImportedBundle = { ok: false, issues: list.items, response: null, scores: [], risks: [] };
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    list.error(isObject(bundle) ? '/resourceType' : '', 'BUNDLE_INVALID', 'Expected a FHIR Bundle.');
    return out;
  }
  if (!Array.isArray(bundle.entry)) {
    list.error('/entry', 'BUNDLE_INVALID', 'The bundle has no entries.');
    return out;
  }
  let responseUrl: string | null = null;
  const observations: { obs: Record<string, unknown>; path: string }[] = [];
  bundle.entry.forEach((entry, i) => {
    const p = pointer('/entry', i);
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource)) return list.error(p, 'BUNDLE_INVALID', 'An entry needs a resource.');
    if (resource.resourceType === 'QuestionnaireResponse') {
      if (out.response) return list.error(p, 'BUNDLE_INVALID', 'More than one QuestionnaireResponse.');
      out.response = resource as QuestionnaireResponse;
      responseUrl = typeof (entry as Record<string, unknown>).fullUrl === 'string' ? ((entry as Record<string, unknown>).fullUrl as string) : null;
    } else if (resource.resourceType === 'Observation') observations.push({ obs: resource, path: pointer(p, 'resource') });
  });
  if (!out.response) list.error('/entry', 'BUNDLE_INVALID', 'No QuestionnaireResponse in the bundle.');
  for (const { obs, path } of observations) readObservation(obs, path, responseUrl, out, list);
  out.ok = !list.hasErrors;
  return out;
}

function readObservation(obs: Record<string, unknown>, path: string, responseUrl: string | null, out: ImportedBundle, list: IssueList): void {
  const codings = isObject(obs.code) && Array.isArray(obs.code.coding) ? obs.code.coding.filter(isObject) : [];
  const derived = Array.isArray(obs.derivedFrom) && obs.derivedFrom.some((d) => isObject(d) && d.reference === responseUrl);
  if (!derived) list.error(pointer(path, 'derivedFrom'), 'BUNDLE_INVALID', 'The Observation is not derivedFrom the bundle\'s response.');
  const scaleCode = codings.find((c) => c.system === URL.spiegelScaleCodes);
  const riskCode = codings.find((c) => c.system === URL.spiegelRiskCodes);
  if (scaleCode && typeof scaleCode.code === 'string') {
    const [instrumentId, scale] = splitCode(scaleCode.code);
    const quantity = isObject(obs.valueQuantity) ? obs.valueQuantity.value : undefined;
    if (quantity !== undefined && !isFiniteNumber(quantity)) list.error(pointer(path, 'valueQuantity', 'value'), 'BUNDLE_INVALID', 'The score is not a number.');
    const interp = Array.isArray(obs.interpretation) && isObject(obs.interpretation[0]) && Array.isArray(obs.interpretation[0].coding) ? obs.interpretation[0].coding : [];
    const band = interp.find((c: unknown) => isObject(c) && c.system === URL.spiegelBandCodes) as Coding | undefined;
    const loinc = codings.find((c) => c.system === URL.loinc);
    out.scores.push({
      instrumentId,
      scale,
      value: isFiniteNumber(quantity) ? quantity : null,
      band: band?.code ?? null,
      loinc: typeof loinc?.code === 'string' ? loinc.code : null,
    });
  } else if (riskCode && typeof riskCode.code === 'string') {
    const [instrumentId, code] = splitCode(riskCode.code);
    const itemComponent = Array.isArray(obs.component) ? obs.component.find((c) => isObject(c) && isObject(c.code) && c.code.text === 'item') : undefined;
    out.risks.push({ instrumentId, code, item: isObject(itemComponent) && typeof itemComponent.valueString === 'string' ? itemComponent.valueString : null });
  }
}

function splitCode(code: string): [string, string] {
  const slash = code.lastIndexOf('/');
  return slash < 0 ? ['', code] : [code.slice(0, slash), code.slice(slash + 1)];
}

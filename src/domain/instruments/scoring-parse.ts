import type { Coding } from './fhir.ts';
import { URL } from './fhir.ts';
import { bool, first, localized, num, readComplex, str, type Entry, type Schema } from './complex-extension.ts';
import { isNonEmptyString, isObject, pointer, type IssueList } from './issues.ts';
import {
  AUDIENCES, DIRECTIONS, OPERATORS, SCALE_METHODS, TRANSLATION_STATES, emptySpec,
  type Audience, type Band, type Direction, type NormGroup, type Operator, type Reliability, type RiskSpec,
  type ScaleFlag, type ScaleMethod, type ScaleSpec, type ScoringSpec, type Sourced, type TranslationState,
} from './scoring-spec.ts';

const SOURCED: Schema = { value: { kind: 'decimal', required: true }, source: { kind: 'string', required: true, missing: 'SOURCE_MISSING' } };
const RELIABILITY: Schema = { ...SOURCED, kind: { kind: 'code' } };
const NORM: Schema = {
  group: { kind: 'code' },
  label: { kind: 'string' },
  mean: { kind: 'decimal', required: true },
  sd: { kind: 'decimal', required: true },
  n: { kind: 'integer' },
  source: { kind: 'string', required: true, missing: 'SOURCE_MISSING' },
};
const BAND: Schema = { from: { kind: 'decimal', required: true }, code: { kind: 'code', required: true }, label: { kind: 'string', required: true } };
const FLAG: Schema = {
  code: { kind: 'code', required: true },
  operator: { kind: 'code', required: true },
  threshold: { kind: 'decimal', required: true },
  label: { kind: 'string', required: true },
  source: { kind: 'string', required: true, missing: 'SOURCE_MISSING' },
};
const SCALE: Schema = {
  id: { kind: 'id', required: true },
  name: { kind: 'string' },
  code: { kind: 'coding' },
  method: { kind: 'code', required: true },
  item: { kind: 'string', repeat: true, required: true, missing: 'SCALE_ITEMS_EMPTY' },
  reverse: { kind: 'string', repeat: true },
  itemMin: { kind: 'decimal' },
  itemMax: { kind: 'decimal' },
  maxMissingFraction: { kind: 'decimal' },
  multiplier: { kind: 'decimal' },
  decimals: { kind: 'integer' },
  subscaleOf: { kind: 'id' },
  direction: { kind: 'code', required: true },
  band: { kind: 'complex', repeat: true },
  bandsSource: { kind: 'string' },
  flag: { kind: 'complex', repeat: true },
  cutoff: { kind: 'complex' },
  reliability: { kind: 'complex' },
  sd: { kind: 'complex' },
  clinicalNorm: { kind: 'complex' },
  nonClinicalNorm: { kind: 'complex' },
  reliableChange: { kind: 'complex' },
  norm: { kind: 'complex', repeat: true },
};
const RISK: Schema = {
  item: { kind: 'string', required: true },
  operator: { kind: 'code', required: true },
  threshold: { kind: 'decimal', required: true },
  code: { kind: 'code', required: true },
  label: { kind: 'string', required: true },
  source: { kind: 'string' },
};
const LICENCE: Schema = {
  licence: { kind: 'string', required: true },
  licenceUrl: { kind: 'uri' },
  source: { kind: 'string', required: true, missing: 'SOURCE_MISSING' },
  redistributable: { kind: 'boolean', required: true },
  nonCommercialOnly: { kind: 'boolean', required: true },
  modificationAllowed: { kind: 'boolean', required: true },
  requiresAcknowledgement: { kind: 'boolean', required: true },
  showCopyrightOnForm: { kind: 'boolean', required: true },
};
const CATALOG: Schema = {
  shippedByDefault: { kind: 'boolean' },
  projectAuthored: { kind: 'boolean' },
  audience: { kind: 'code' },
  basedOn: { kind: 'string' },
};
const TRANSLATION: Schema = { lang: { kind: 'code', required: true }, status: { kind: 'code', required: true }, source: { kind: 'string' } };
const ROOT: Schema = {
  catalog: { kind: 'complex' },
  licence: { kind: 'complex' },
  translation: { kind: 'complex', repeat: true },
  scale: { kind: 'complex', repeat: true },
  risk: { kind: 'complex', repeat: true },
};

/**
 * Parses the Spiegel scoring extension of a questionnaire into a ScoringSpec. Returns null when the
 * questionnaire has no such extension. Structural problems are reported; cross-references to items are
 * checked separately (scoring-check.ts) because they need the item index.
 */
export function parseScoringExtension(q: Record<string, unknown>, list: IssueList): ParsedScoring | null {
  if (!isObject(q) || !Array.isArray(q.extension)) return null;
  const hits: { ext: Record<string, unknown>; path: string }[] = [];
  q.extension.forEach((e, i) => {
    if (isObject(e) && e.url === URL.spiegelScoring) hits.push({ ext: e, path: pointer('/extension', i) });
  });
  if (hits.length === 0) return null;
  for (const extra of hits.slice(1)) list.error(extra.path, 'SCORING_DUPLICATE_EXTENSION');
  const { ext, path } = hits[0];
  const lang = typeof q.language === 'string' && q.language !== '' ? q.language : 'en';
  const root = readComplex(ext, path, ROOT, list);
  const spec = emptySpec();
  const where: SpecPaths = { root: path, scales: [], risks: [], translations: [] };

  const catalog = first(root, 'catalog');
  if (catalog) {
    const f = readComplex(catalog.ext, catalog.path, CATALOG, list);
    spec.catalog = {
      shippedByDefault: bool(f, 'shippedByDefault', false),
      projectAuthored: bool(f, 'projectAuthored', false),
      audience: oneOf(f, 'audience', AUDIENCES, 'any', list) as Audience,
      basedOn: str(f, 'basedOn'),
    };
  }
  const licence = first(root, 'licence');
  if (licence) {
    const f = readComplex(licence.ext, licence.path, LICENCE, list);
    spec.licence = {
      licence: str(f, 'licence') ?? '',
      licenceUrl: str(f, 'licenceUrl'),
      source: str(f, 'source') ?? '',
      redistributable: bool(f, 'redistributable', false),
      nonCommercialOnly: bool(f, 'nonCommercialOnly', true),
      modificationAllowed: bool(f, 'modificationAllowed', false),
      requiresAcknowledgement: bool(f, 'requiresAcknowledgement', true),
      showCopyrightOnForm: bool(f, 'showCopyrightOnForm', true),
    };
  }
  for (const t of root.get('translation') ?? []) {
    const f = readComplex(t.ext, t.path, TRANSLATION, list);
    const status = str(f, 'status');
    if (status !== null && !(TRANSLATION_STATES as readonly string[]).includes(status)) {
      list.error(pointer(first(f, 'status')!.path, 'valueCode'), 'TRANSLATION_STATUS_INVALID');
    }
    const code = str(f, 'lang');
    if (code) where.translations.push(t.path);
    if (code) spec.translations.push({ lang: code, status: (TRANSLATION_STATES as readonly string[]).includes(status ?? '') ? (status as TranslationState) : 'unverified', source: str(f, 'source') });
  }
  const ids = new Set<string>();
  for (const s of root.get('scale') ?? []) {
    const scale = parseScale(s, lang, list);
    if (!scale) continue;
    if (ids.has(scale.id)) list.error(pointer(s.path, 'extension'), 'SCALE_ID_DUPLICATE', `Scale id "${scale.id}" is used twice.`);
    ids.add(scale.id);
    spec.scales.push(scale);
    where.scales.push({
      path: s.path,
      items: (scaleFields(s).get('item') ?? []).map((e) => e.path),
      reverse: (scaleFields(s).get('reverse') ?? []).map((e) => e.path),
      subscaleOf: first(scaleFields(s), 'subscaleOf')?.path ?? s.path,
    });
  }
  for (const r of root.get('risk') ?? []) {
    const risk = parseRisk(r, lang, list);
    if (!risk) continue;
    spec.risks.push(risk);
    where.risks.push(r.path);
  }
  return { spec, where };
}

/** JSON pointers of parsed parts, so cross-reference checks can point at the exact sub-extension. */
export interface SpecPaths {
  root: string;
  scales: { path: string; items: string[]; reverse: string[]; subscaleOf: string }[];
  risks: string[];
  translations: string[];
}

export interface ParsedScoring {
  spec: ScoringSpec;
  where: SpecPaths;
}

// Re-reading a scale's sub-extensions for their paths; the issues were already reported by parseScale.
function scaleFields(entry: Entry): Map<string, Entry[]> {
  const map = new Map<string, Entry[]>();
  const subs = Array.isArray(entry.ext.extension) ? entry.ext.extension : [];
  subs.forEach((sub, i) => {
    if (!isObject(sub) || typeof sub.url !== 'string') return;
    const value = sub.valueString ?? sub.valueId;
    if (!isNonEmptyString(value)) return;
    const entries = map.get(sub.url) ?? [];
    entries.push({ value, ext: sub, path: pointer(entry.path, 'extension', i) });
    map.set(sub.url, entries);
  });
  return map;
}

function parseScale(entry: Entry, lang: string, list: IssueList): ScaleSpec | null {
  const f = readComplex(entry.ext, entry.path, SCALE, list);
  const id = str(f, 'id');
  const method = oneOf(f, 'method', SCALE_METHODS, null, list) as ScaleMethod | null;
  const direction = oneOf(f, 'direction', DIRECTIONS, null, list) as Direction | null;
  const items = (f.get('item') ?? []).map((e) => e.value as string);
  if (!id || !method || !direction || items.length === 0) return null;

  const maxMissing = num(f, 'maxMissingFraction') ?? 0;
  if (maxMissing < 0 || maxMissing >= 1) list.error(valuePath(f, 'maxMissingFraction'), 'MISSING_RULE_INVALID');
  const decimals = num(f, 'decimals');
  if (decimals !== null && (decimals < 0 || decimals > 6)) list.error(valuePath(f, 'decimals'), 'NUMBER_INVALID', 'decimals must be 0–6.');
  const multiplier = num(f, 'multiplier') ?? 1;
  if (multiplier === 0) list.error(valuePath(f, 'multiplier'), 'NUMBER_INVALID', 'multiplier cannot be 0.');
  const itemMin = num(f, 'itemMin');
  const itemMax = num(f, 'itemMax');
  if (itemMin !== null && itemMax !== null && itemMin >= itemMax) list.error(valuePath(f, 'itemMax'), 'NUMBER_INVALID', 'itemMax must exceed itemMin.');

  const bands: Band[] = (f.get('band') ?? []).flatMap((b) => {
    const bf = readComplex(b.ext, b.path, BAND, list);
    const from = num(bf, 'from');
    const code = str(bf, 'code');
    return from === null || code === null ? [] : [{ from, code, label: localized(first(bf, 'label'), lang) }];
  });
  for (let i = 1; i < bands.length; i++) {
    if (!(bands[i].from > bands[i - 1].from)) list.error(f.get('band')![i].path, 'BANDS_NOT_ASCENDING', `Band "${bands[i].code}" starts at ${bands[i].from}, not above ${bands[i - 1].from}.`);
  }
  const bandsSource = str(f, 'bandsSource');
  if (bands.length > 0 && bandsSource === null) list.error(entry.path, 'SOURCE_MISSING', 'Bands need a bandsSource citation (or "project-chosen: …").');

  const flags: ScaleFlag[] = (f.get('flag') ?? []).flatMap((fl) => {
    const ff = readComplex(fl.ext, fl.path, FLAG, list);
    const operator = oneOf(ff, 'operator', OPERATORS, null, list) as Operator | null;
    const code = str(ff, 'code');
    const threshold = num(ff, 'threshold');
    if (!operator || code === null || threshold === null) return [];
    return [{ code, operator, threshold, label: localized(first(ff, 'label'), lang), source: str(ff, 'source') ?? '' }];
  });

  const reliability = sourced(first(f, 'reliability'), RELIABILITY, list) as Reliability | null;
  if (reliability && !(reliability.value > 0 && reliability.value < 1)) list.error(first(f, 'reliability')!.path, 'NUMBER_INVALID', 'reliability must lie strictly between 0 and 1.');
  const sd = sourced(first(f, 'sd'), SOURCED, list);
  if (sd && !(sd.value > 0)) list.error(first(f, 'sd')!.path, 'NUMBER_INVALID', 'sd must be positive.');
  const code = first(f, 'code')?.value as Coding | undefined;

  return {
    id,
    name: localized(first(f, 'name'), lang),
    code: code ? { system: code.system, code: code.code, display: code.display } : null,
    method,
    items,
    reverse: (f.get('reverse') ?? []).map((e) => e.value as string),
    itemMin,
    itemMax,
    maxMissingFraction: maxMissing,
    multiplier,
    decimals,
    subscaleOf: str(f, 'subscaleOf'),
    direction,
    bands,
    bandsSource,
    flags,
    cutoff: sourced(first(f, 'cutoff'), SOURCED, list),
    reliability,
    sd,
    clinical: norm(first(f, 'clinicalNorm'), 'clinical', lang, list),
    nonClinical: norm(first(f, 'nonClinicalNorm'), 'non-clinical', lang, list),
    reliableChange: sourced(first(f, 'reliableChange'), SOURCED, list),
    norms: (f.get('norm') ?? []).flatMap((n) => norm(n, null, lang, list) ?? []),
  };
}

function parseRisk(entry: Entry, lang: string, list: IssueList): RiskSpec | null {
  const f = readComplex(entry.ext, entry.path, RISK, list);
  const item = str(f, 'item');
  const operator = oneOf(f, 'operator', OPERATORS, null, list) as Operator | null;
  const threshold = num(f, 'threshold');
  const code = str(f, 'code');
  if (!item || !operator || threshold === null || !code) return null;
  return { item, operator, threshold, code, label: localized(first(f, 'label'), lang), source: str(f, 'source') };
}

function sourced(entry: Entry | undefined, schema: Schema, list: IssueList): Sourced | Reliability | null {
  if (!entry) return null;
  const f = readComplex(entry.ext, entry.path, schema, list);
  const value = num(f, 'value');
  const source = str(f, 'source');
  if (value === null || source === null) return null;
  return schema === RELIABILITY ? { value, source, kind: str(f, 'kind') ?? 'unspecified' } : { value, source };
}

function norm(entry: Entry | undefined, fixedGroup: string | null, lang: string, list: IssueList): NormGroup | null {
  if (!entry) return null;
  const f = readComplex(entry.ext, entry.path, NORM, list);
  const group = fixedGroup ?? str(f, 'group');
  if (!fixedGroup && group === null) list.error(entry.path, 'FIELD_MISSING', 'A norm needs a group code.');
  const mean = num(f, 'mean');
  const sd = num(f, 'sd');
  const source = str(f, 'source');
  if (sd !== null && !(sd > 0)) list.error(valuePath(f, 'sd'), 'NUMBER_INVALID', 'A norm SD must be positive.');
  if (group === null || mean === null || sd === null || source === null) return null;
  return { group, label: localized(first(f, 'label'), lang), mean, sd, n: num(f, 'n'), source };
}

function oneOf(f: Map<string, Entry[]>, name: string, allowed: readonly string[], fallback: string | null, list: IssueList): string | null {
  const e = first(f, name);
  if (!e) return fallback;
  if (allowed.includes(e.value as string)) return e.value as string;
  const code = name === 'method' ? 'SCALE_METHOD_INVALID' : name === 'direction' ? 'DIRECTION_INVALID' : name === 'operator' ? 'OPERATOR_INVALID' : 'SCORING_EXTENSION_INVALID';
  list.error(pointer(e.path, 'valueCode'), code, `"${String(e.value)}" is not one of ${allowed.join(', ')}.`);
  return null;
}

function valuePath(f: Map<string, Entry[]>, name: string): string {
  return first(f, name)?.path ?? '';
}

import type { Questionnaire, QuestionnaireItem, ResponseAnswer } from './fhir.ts';
import { itemRange, optionScore } from './extensions.ts';
import { issuesError, isObject, type Issue } from './issues.ts';
import { deepFreeze, inClinicalRange, reliableChangeParameters, type ReliableChangeParameters } from './reliable-change.ts';
import type { Band, Direction, LocalizedText, Operator, ScaleSpec, ScoringSpec } from './scoring-spec.ts';
import { validateQuestionnaire } from './validate-questionnaire.ts';

export interface ScaleScore {
  id: string;
  name: LocalizedText;
  /** Code of the score (LOINC where the instrument has one). */
  code: { system?: string; code?: string; display?: string } | null;
  subscaleOf: string | null;
  /** null when the missing-item rule gives no score. */
  value: number | null;
  status: 'scored' | 'too-many-missing' | 'no-answers';
  answered: number;
  missing: number;
  /** Items that may be missing under the missing-item rule. */
  maxMissing: number;
  prorated: boolean;
  band: { code: string; label: LocalizedText } | null;
  flags: { code: string; label: LocalizedText }[];
  /** Against the cut-off in reliableChange; null without a cut-off or a value. */
  clinicalRange: boolean | null;
  direction: Direction;
  reliableChange: ReliableChangeParameters;
  /** Standard score against each published norm group (z = (value − M)/SD). */
  norms: { group: string; label: LocalizedText; mean: number; sd: number; n: number | null; z: number | null }[];
}

export interface RiskFlag {
  code: string;
  item: string;
  /** The answer's score (ordinalValue or numeric answer), not reverse-keyed. */
  answerScore: number;
  label: LocalizedText;
  source: string | null;
}

export interface ScoreResult {
  instrumentId: string;
  scales: ScaleScore[];
  risks: RiskFlag[];
  unansweredRiskItems: string[];
  /** Answers to scored items that could not be scored (not an option, out of range, wrong type). */
  invalidAnswers: { linkId: string; reason: string }[];
}

export interface CompiledScorer {
  readonly instrumentId: string;
  readonly questionnaire: Questionnaire;
  readonly spec: ScoringSpec | null;
  readonly issues: readonly Issue[];
  score(response: unknown): ScoreResult;
}

/** How one scored item turns an answer into a number. */
interface Slot {
  linkId: string;
  codes: Map<string, { score: number; system: string | undefined }> | null;
  integers: Map<number, number> | null;
  strings: Map<string, number> | null;
  numeric: boolean;
  boolean: boolean;
  min: number;
  max: number;
}

interface CompiledScale {
  spec: ScaleSpec;
  slots: Int32Array;
  reverse: Uint8Array;
  reverseSum: number;
  allowedMissing: number;
  bands: readonly Band[];
  flags: readonly { code: string; operator: Operator; threshold: number; label: LocalizedText }[];
  params: ReliableChangeParameters;
  code: ScaleScore['code'];
}

interface CompiledRisk {
  slot: number;
  code: string;
  item: string;
  operator: Operator;
  threshold: number;
  label: LocalizedText;
  source: string | null;
}

/**
 * Precompiles a questionnaire's scoring rules into lookup tables so that scoring a response is a single
 * pass over its items plus a few array sums. Throws QUESTIONNAIRE_INVALID (with the issues) when the
 * questionnaire has errors; use validateQuestionnaire first to get the list without an exception.
 */
export function compileScorer(questionnaire: unknown): CompiledScorer {
  const validation = validateQuestionnaire(questionnaire);
  if (!validation.ok || !validation.questionnaire || !validation.index) throw issuesError('QUESTIONNAIRE_INVALID', validation.issues);
  const q = validation.questionnaire;
  const spec = validation.scoring;
  const slotIndex = new Map<string, number>();
  const slots: Slot[] = [];
  const slotFor = (linkId: string): number => {
    const known = slotIndex.get(linkId);
    if (known !== undefined) return known;
    slots.push(makeSlot(validation.index!.get(linkId)!.item));
    slotIndex.set(linkId, slots.length - 1);
    return slots.length - 1;
  };
  const scales: CompiledScale[] = (spec?.scales ?? []).map((s) => {
    const reverse = new Uint8Array(s.items.map((id) => (s.reverse.includes(id) ? 1 : 0)));
    return {
      spec: s,
      slots: new Int32Array(s.items.map(slotFor)),
      reverse,
      reverseSum: (s.itemMin ?? 0) + (s.itemMax ?? 0),
      // The epsilon keeps 0.2 × 10 = 2 from flooring to 1 through binary rounding.
      allowedMissing: Math.floor(s.maxMissingFraction * s.items.length + 1e-9),
      bands: deepFreeze(s.bands),
      flags: deepFreeze(s.flags),
      params: reliableChangeParameters(s),
      code: s.code ? deepFreeze({ ...s.code }) : null,
    };
  });
  const risks: CompiledRisk[] = (spec?.risks ?? []).map((r) => ({ ...r, slot: slotFor(r.item), label: deepFreeze(r.label) }));
  const instrumentId = q.id ?? q.url ?? 'unnamed';
  const values = new Float64Array(slots.length);

  const score = (response: unknown): ScoreResult => {
    values.fill(NaN);
    const invalid: { linkId: string; reason: string }[] = [];
    if (isObject(response) && Array.isArray(response.item)) collect(response.item, slotIndex, slots, values, invalid, 0);
    const result: ScoreResult = { instrumentId, scales: [], risks: [], unansweredRiskItems: [], invalidAnswers: invalid };
    for (const scale of scales) result.scales.push(scoreScale(scale, values));
    for (const risk of risks) {
      const v = values[risk.slot];
      if (v !== v) result.unansweredRiskItems.push(risk.item);
      else if (compare(v, risk.operator, risk.threshold)) {
        result.risks.push({ code: risk.code, item: risk.item, answerScore: v, label: risk.label, source: risk.source });
      }
    }
    return result;
  };
  return { instrumentId, questionnaire: q, spec, issues: validation.issues, score };
}

function makeSlot(item: QuestionnaireItem): Slot {
  const slot: Slot = { linkId: item.linkId, codes: null, integers: null, strings: null, numeric: false, boolean: false, min: -Infinity, max: Infinity };
  if (item.type === 'integer' || item.type === 'decimal') {
    const range = itemRange(item.extension);
    slot.numeric = true;
    slot.min = range.min ?? -Infinity;
    slot.max = range.max ?? Infinity;
  } else if (item.type === 'boolean') {
    slot.boolean = true;
  } else {
    for (const option of item.answerOption ?? []) {
      const s = optionScore(option);
      if (s === undefined) continue;
      if (option.valueCoding?.code !== undefined) {
        (slot.codes ??= new Map()).set(option.valueCoding.code, { score: s, system: option.valueCoding.system });
      } else if (option.valueInteger !== undefined) {
        (slot.integers ??= new Map()).set(option.valueInteger, s);
      } else if (typeof option.valueString === 'string') {
        (slot.strings ??= new Map()).set(option.valueString, s);
      }
    }
  }
  return slot;
}

/** One pass over the response items (and items nested under groups or answers). */
function collect(items: unknown[], index: Map<string, number>, slots: Slot[], values: Float64Array, invalid: ScoreResult['invalidAnswers'], depth: number): void {
  if (depth > 32) return;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as { linkId?: unknown; answer?: unknown; item?: unknown };
    if (typeof it !== 'object' || it === null) continue;
    const answers = it.answer;
    const s = index.get(it.linkId as string);
    if (s !== undefined && Array.isArray(answers) && answers.length > 0) {
      const v = answerScore(slots[s], answers[0] as ResponseAnswer);
      if (v === undefined) invalid.push({ linkId: slots[s].linkId, reason: 'answer cannot be scored (not an option, wrong type or out of range)' });
      else values[s] = v;
    }
    if (Array.isArray(it.item)) collect(it.item, index, slots, values, invalid, depth + 1);
    if (Array.isArray(answers)) {
      for (const a of answers) if (isObject(a) && Array.isArray(a.item)) collect(a.item, index, slots, values, invalid, depth + 1);
    }
  }
}

function answerScore(slot: Slot, answer: ResponseAnswer): number | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  if (slot.codes !== null) {
    const coding = answer.valueCoding;
    if (coding && typeof coding.code === 'string') {
      const hit = slot.codes.get(coding.code);
      if (hit && (hit.system === undefined || coding.system === undefined || hit.system === coding.system)) return hit.score;
      return undefined;
    }
  }
  if (slot.integers !== null && typeof answer.valueInteger === 'number') return slot.integers.get(answer.valueInteger);
  if (slot.strings !== null && typeof answer.valueString === 'string') return slot.strings.get(answer.valueString);
  if (slot.numeric) {
    const v = answer.valueInteger ?? answer.valueDecimal;
    return typeof v === 'number' && v >= slot.min && v <= slot.max ? v : undefined;
  }
  if (slot.boolean && typeof answer.valueBoolean === 'boolean') return answer.valueBoolean ? 1 : 0;
  return undefined;
}

function scoreScale(scale: CompiledScale, values: Float64Array): ScaleScore {
  const s = scale.spec;
  const n = scale.slots.length;
  let sum = 0;
  let answered = 0;
  for (let i = 0; i < n; i++) {
    let v = values[scale.slots[i]];
    if (v !== v) continue;
    if (scale.reverse[i] === 1) v = scale.reverseSum - v;
    sum += v;
    answered++;
  }
  const missing = n - answered;
  let value: number | null = null;
  let status: ScaleScore['status'] = 'scored';
  if (answered === 0) status = 'no-answers';
  else if (missing > scale.allowedMissing) status = 'too-many-missing';
  else {
    const raw = s.method === 'mean' ? sum / answered : s.method === 'prorated-sum' ? (sum * n) / answered : sum;
    value = round(raw * s.multiplier, s.decimals);
  }
  return {
    id: s.id,
    name: s.name,
    code: scale.code,
    subscaleOf: s.subscaleOf,
    value,
    status,
    answered,
    missing,
    maxMissing: scale.allowedMissing,
    prorated: value !== null && s.method === 'prorated-sum' && missing > 0,
    band: value === null ? null : band(scale.bands, value),
    flags: value === null ? [] : scale.flags.filter((f) => compare(value, f.operator, f.threshold)).map((f) => ({ code: f.code, label: f.label })),
    clinicalRange: value === null ? null : inClinicalRange(value, scale.params),
    direction: s.direction,
    reliableChange: scale.params,
    norms: s.norms.length === 0 ? [] : s.norms.map((g) => ({ group: g.group, label: g.label, mean: g.mean, sd: g.sd, n: g.n, z: value === null ? null : (value - g.mean) / g.sd })),
  };
}

function band(bands: readonly Band[], value: number): ScaleScore['band'] {
  let hit: Band | null = null;
  for (const b of bands) if (value >= b.from) hit = b;
  return hit ? { code: hit.code, label: hit.label } : null;
}

export function compare(v: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '>': return v > threshold;
    case '>=': return v >= threshold;
    case '<': return v < threshold;
    case '<=': return v <= threshold;
    case '=': return v === threshold;
  }
}

/** Half-up rounding to `decimals`; toPrecision(12) first removes binary noise such as 4.3349999999. */
function round(x: number, decimals: number | null): number {
  if (decimals === null || Number.isInteger(x)) return x;
  const f = 10 ** decimals;
  return Math.round(Number((x * f).toPrecision(12))) / f;
}

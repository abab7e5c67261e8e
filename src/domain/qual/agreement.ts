import { SpiegelError } from '../errors.ts';
import {
  cohenKappa,
  krippendorffAlphaNominal,
  percentAgreement,
  pooledKappa,
  type KappaParts,
  type ReliabilityUnit,
  type Value,
} from './reliability.ts';
import { inSubCorpus, orderedCodes, type QualCode, type QualSegment, type SubCorpus } from './types.ts';

/**
 * Inter-coder agreement per code and pooled, on one stated unit. Each code is judged as present (1)
 * or absent (0) per unit and coder; a coder who did not code a document at all is missing there.
 *
 * Units:
 * - presence: one unit per document (does the code occur anywhere in it?);
 * - segment: passages any coder coded, where segments of all coders that overlap by at least
 *   `threshold` (intersection / union of the two spans) form one passage;
 * - character: every character, optionally leaving out characters no coder coded at all (with text
 *   no-one coded included, κ is swamped by trivial agreement on absence: QualCoder #479, #667).
 *
 * Identical value vectors are counted once with a weight, so a character run of 3,000 characters is
 * one weighted unit and the cost does not grow with the text length.
 */

export type AgreementUnit =
  { kind: 'presence' } | { kind: 'segment'; threshold: number } | { kind: 'character'; excludeUncoded: boolean };

export interface AgreementInput {
  codes: QualCode[];
  documents: { id: string; length: number }[];
  /** Segments of the coders' layers (never the consensus layer). */
  segments: QualSegment[];
  coders: string[];
  unit: AgreementUnit;
  subCorpus?: SubCorpus;
  /** Documents each coder has coded; default: the documents where they have at least one segment. */
  codedDocuments?: Record<string, string[]>;
}

export interface CodeAgreement {
  codeId: string;
  label: string;
  /** Weighted number of units with at least two coders' values. */
  units: number;
  percent: number | null;
  kappa: number | null;
  alpha: number | null;
}

export interface AgreementResult {
  unit: AgreementUnit;
  coders: string[];
  perCode: CodeAgreement[];
  pooled: { percent: number | null; kappa: number | null; alpha: number | null };
}

/**
 * Identical value vectors are tallied under one numeric key: per coder a base-3 digit (0 absent,
 * 1 present, 2 missing), coder 0 the lowest digit. Exact for up to 33 coders (3^33 < 2^53).
 */
type Tally = Map<number, number>;

function add(map: Tally, key: number, weight: number): void {
  if (weight > 0) map.set(key, (map.get(key) ?? 0) + weight);
}

function keyOf(values: Value[]): number {
  let key = 0;
  for (let i = values.length - 1; i >= 0; i--) key = key * 3 + (values[i] === null ? 2 : values[i] === '1' ? 1 : 0);
  return key;
}

function tally(map: Tally, values: Value[], weight: number): void {
  add(map, keyOf(values), weight);
}

function toUnits(map: Tally, nCoders: number): ReliabilityUnit[] {
  return [...map].map(([key, weight]) => {
    const values: Value[] = [];
    for (let i = 0, k = key; i < nCoders; i++, k = Math.floor(k / 3)) {
      const digit = k % 3;
      values.push(digit === 2 ? null : digit === 1 ? '1' : '0');
    }
    return { values, weight };
  });
}

export function agreement(input: AgreementInput): AgreementResult {
  const { coders, unit } = input;
  if (coders.length < 2) throw new SpiegelError('STATS_INPUT_INVALID', 'Agreement needs at least two coders.');
  if (unit.kind === 'segment' && !(unit.threshold > 0 && unit.threshold <= 1))
    throw new SpiegelError('STATS_INPUT_INVALID', 'The overlap threshold must lie above 0 and at most 1.');
  const codes = orderedCodes(
    input.subCorpus?.codeIds ? input.codes.filter((c) => input.subCorpus!.codeIds!.includes(c.id)) : input.codes,
  );
  const docs = input.subCorpus?.documentIds
    ? input.documents.filter((d) => input.subCorpus!.documentIds!.includes(d.id))
    : input.documents;
  const coderIndex = new Map(coders.map((c, i) => [c, i]));
  const codeIndex = new Map(codes.map((c, i) => [c.id, i]));
  const segments = inSubCorpus(input.segments, input.subCorpus).filter(
    (s) => coderIndex.has(s.coderId) && codeIndex.has(s.codeId),
  );
  const byDoc = new Map<string, QualSegment[]>();
  for (const s of segments) {
    let list = byDoc.get(s.documentId);
    if (!list) byDoc.set(s.documentId, (list = []));
    list.push(s);
  }
  const tallies: Tally[] = codes.map(() => new Map());
  // Character runs are many: with few coders their tallies go to a dense array first (3^coders keys per code).
  const keys = coders.length <= 8 ? 3 ** coders.length : 0;
  const dense = new Float64Array(keys * codes.length);

  for (const doc of docs) {
    const list = byDoc.get(doc.id) ?? [];
    const coded = coders.map((c) =>
      input.codedDocuments ? (input.codedDocuments[c] ?? []).includes(doc.id) : list.some((s) => s.coderId === c),
    );
    if (coded.filter(Boolean).length < 2) continue;
    const vector = (present: (coder: number) => boolean): Value[] =>
      coders.map((_, i) => (coded[i] ? (present(i) ? '1' : '0') : null));
    if (unit.kind === 'presence') {
      codes.forEach((code, k) => {
        const has = coders.map((c) => list.some((s) => s.coderId === c && s.codeId === code.id));
        tally(
          tallies[k]!,
          vector((i) => has[i]!),
          1,
        );
      });
    } else if (unit.kind === 'segment') {
      for (const cluster of passages(list, unit.threshold)) {
        codes.forEach((code, k) => {
          tally(
            tallies[k]!,
            vector((i) => cluster.some((s) => s.coderId === coders[i] && s.codeId === code.id)),
            1,
          );
        });
      }
    } else {
      sweepCharacters(doc.length, list, coders.length, codes.length, coderIndex, codeIndex, (active, any, w) => {
        if (unit.excludeUncoded && !any) return;
        // The hot loop (one call per elementary character run): the key is built without arrays.
        for (let k = 0; k < codes.length; k++) {
          let key = 0;
          for (let i = coders.length - 1; i >= 0; i--)
            key = key * 3 + (coded[i] ? (active[i * codes.length + k]! > 0 ? 1 : 0) : 2);
          if (keys) dense[k * keys + key]! += w;
          else add(tallies[k]!, key, w);
        }
      });
    }
  }

  for (let k = 0; k < codes.length && keys; k++)
    for (let key = 0; key < keys; key++) add(tallies[k]!, key, dense[k * keys + key]!);
  const perCodeUnits = tallies.map((map) => toUnits(map, coders.length));
  const kappas: KappaParts[] = [];
  const perCode = codes.map((code, k): CodeAgreement => {
    const units = perCodeUnits[k]!;
    const kappa = coders.length === 2 ? cohenKappa(units) : null;
    if (kappa) kappas.push(kappa);
    const alpha = krippendorffAlphaNominal(units);
    return {
      codeId: code.id,
      label: code.label,
      units: pairable(units),
      percent: percentAgreement(units),
      kappa: kappa?.kappa ?? null,
      alpha: alpha.alpha,
    };
  });
  const all = perCodeUnits.flat();
  return {
    unit,
    coders,
    perCode,
    pooled: {
      percent: percentAgreement(all),
      kappa: coders.length === 2 ? pooledKappa(kappas) : null,
      alpha: krippendorffAlphaNominal(all).alpha,
    },
  };
}

function pairable(units: ReliabilityUnit[]): number {
  let n = 0;
  for (const u of units) if (u.values.filter((v) => v !== null).length >= 2) n += u.weight ?? 1;
  return n;
}

/** Overlap of two spans as intersection over union (0 when they do not touch). */
export function overlapRatio(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter <= 0) return 0;
  return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/** Passages: connected groups of segments (any coder, any code) overlapping by at least `threshold`. */
export function passages(list: QualSegment[], threshold: number): QualSegment[][] {
  const sorted = [...list].sort((a, b) => a.start - b.start || a.end - b.end);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < sorted[i]!.end; j++) {
      if (overlapRatio(sorted[i]!, sorted[j]!) >= threshold) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, QualSegment[]>();
  sorted.forEach((s, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(s);
  });
  return [...groups.values()];
}

/**
 * Walks the document's elementary character runs (between consecutive segment boundaries) and calls
 * `visit` with, per coder i and code k, how many of that coder's segments of that code cover the run
 * (`active[i * nCodes + k]`).
 */
function sweepCharacters(
  length: number,
  list: QualSegment[],
  nCoders: number,
  nCodes: number,
  coderIndex: Map<string, number>,
  codeIndex: Map<string, number>,
  visit: (active: Int32Array, anyCoded: boolean, weight: number) => void,
): void {
  // Each boundary is one number, position × slots + slot, so a native numeric sort orders them
  // (slot = (coder × nCodes + code) × 2 + 1 for a start, + 0 for an end). Exact below 2^53.
  const slots = nCoders * nCodes * 2;
  const events = new Float64Array(list.length * 2);
  list.forEach((s, n) => {
    const slot = (coderIndex.get(s.coderId)! * nCodes + codeIndex.get(s.codeId)!) * 2;
    events[2 * n] = Math.max(0, s.start) * slots + slot + 1;
    events[2 * n + 1] = Math.min(length, s.end) * slots + slot;
  });
  events.sort();
  const active = new Int32Array(nCoders * nCodes);
  let open = 0;
  let position = 0;
  let e = 0;
  while (position < length) {
    while (e < events.length && Math.floor(events[e]! / slots) <= position) {
      const slot = events[e]! % slots;
      const d = slot % 2 === 1 ? 1 : -1;
      active[(slot - (slot % 2)) / 2]! += d;
      open += d;
      e++;
    }
    const next = e < events.length ? Math.min(Math.floor(events[e]! / slots), length) : length;
    if (next > position) visit(active, open > 0, next - position);
    position = next;
  }
}

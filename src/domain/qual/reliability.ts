import { SpiegelError } from '../errors.ts';

/**
 * Agreement coefficients on reliability data: units (each with a weight, e.g. a run of characters)
 * coded by any number of coders, with missing values (null) allowed. Pure arithmetic; which units are
 * used is decided in units.ts.
 *
 * - Percentage agreement: the weighted mean, over units with at least two values, of the share of
 *   agreeing coder pairs.
 * - Cohen's κ (Cohen 1960): two coders, units both coded; po and pe from the 2-coder table.
 * - Krippendorff's α, nominal (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
 *   coincidence matrix over pairable values, α = 1 − (n − 1)·Σc≠k o_ck / Σc≠k n_c·n_k. Units with
 *   fewer than two values are not pairable and drop out, as in the published procedure.
 */

export type Value = string | null;

export interface ReliabilityUnit {
  /** One value per coder, in the order of `coders`; null = missing. */
  values: Value[];
  /** How many identical units this stands for (a run of characters); default 1. */
  weight?: number;
}

export interface KappaParts {
  kappa: number | null;
  po: number;
  pe: number;
  /** Units (weighted) both coders coded. */
  n: number;
}

export function percentAgreement(units: ReliabilityUnit[]): number | null {
  let total = 0;
  let agree = 0;
  for (const unit of units) {
    const present = unit.values.filter((v): v is string => v !== null);
    const m = present.length;
    if (m < 2) continue;
    const w = unit.weight ?? 1;
    let same = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) if (present[i] === present[j]) same++;
    agree += (w * same) / ((m * (m - 1)) / 2);
    total += w;
  }
  return total === 0 ? null : agree / total;
}

/** Cohen's κ for exactly two coders; null when pe = 1 (no variation: κ is undefined). */
export function cohenKappa(units: ReliabilityUnit[]): KappaParts {
  const joint = new Map<string, number>();
  const rowM = new Map<string, number>();
  const colM = new Map<string, number>();
  let n = 0;
  for (const unit of units) {
    if (unit.values.length !== 2)
      throw new SpiegelError('STATS_INPUT_INVALID', 'Cohen’s kappa needs exactly two coders.');
    const [a, b] = unit.values;
    if (a === null || b === null) continue;
    const w = unit.weight ?? 1;
    n += w;
    if (a === b) joint.set(a, (joint.get(a) ?? 0) + w);
    rowM.set(a, (rowM.get(a) ?? 0) + w);
    colM.set(b, (colM.get(b) ?? 0) + w);
  }
  if (n === 0) return { kappa: null, po: NaN, pe: NaN, n };
  let po = 0;
  for (const count of joint.values()) po += count;
  po /= n;
  let pe = 0;
  for (const [value, r] of rowM) pe += (r / n) * ((colM.get(value) ?? 0) / n);
  return { kappa: pe === 1 ? null : (po - pe) / (1 - pe), po, pe, n };
}

/**
 * Pooled κ over several codes (De Vries, Elliott, Kanouse & Teleki 2008, Field Methods 20(3)): the mean
 * po and the mean pe over the codes, then κ = (p̄o − p̄e)/(1 − p̄e). Unlike the mean of the per-code κs,
 * it stays defined when one code has no variation.
 */
export function pooledKappa(perCode: KappaParts[]): number | null {
  const usable = perCode.filter((k) => k.n > 0);
  if (usable.length === 0) return null;
  const po = usable.reduce((s, k) => s + k.po, 0) / usable.length;
  const pe = usable.reduce((s, k) => s + k.pe, 0) / usable.length;
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/** Krippendorff's α for nominal data; null when all pairable values are the same (no variation). */
export function krippendorffAlphaNominal(units: ReliabilityUnit[]): { alpha: number | null; n: number } {
  // Coincidences: o[c][k] = Σ_u w_u · (number of c–k pairs in u) / (m_u − 1), ordered pairs.
  const o = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, x: number) => {
    let row = o.get(c);
    if (!row) o.set(c, (row = new Map()));
    row.set(k, (row.get(k) ?? 0) + x);
  };
  for (const unit of units) {
    const counts = new Map<string, number>();
    let m = 0;
    for (const v of unit.values) {
      if (v === null) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      m++;
    }
    if (m < 2) continue;
    const w = (unit.weight ?? 1) / (m - 1);
    for (const [c, nc] of counts) for (const [k, nk] of counts) add(c, k, w * (c === k ? nc * (nc - 1) : nc * nk));
  }
  const nc = new Map<string, number>();
  let n = 0;
  let disagreeObserved = 0;
  for (const [c, row] of o)
    for (const [k, x] of row) {
      nc.set(c, (nc.get(c) ?? 0) + x);
      n += x;
      if (c !== k) disagreeObserved += x;
    }
  let disagreeExpected = 0;
  for (const [c, a] of nc) for (const [k, b] of nc) if (c !== k) disagreeExpected += a * b;
  if (n === 0 || disagreeExpected === 0) return { alpha: null, n };
  return { alpha: 1 - ((n - 1) * disagreeObserved) / disagreeExpected, n };
}

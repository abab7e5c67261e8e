/**
 * Reliability and agreement: Cronbach's α with item statistics (as psych::alpha reports
 * "alpha if deleted" and the corrected item-total correlation r.drop), and Cohen's κ.
 */
import { crossProducts, mean, powerOfTwoScale, sumSquares } from './descriptive.ts';
import { part, type Part } from './parts.ts';
import { degenerate, invalid } from './guards.ts';

export interface CronbachResult {
  alpha: number;
  /** Number of items. */
  k: number;
  /** Number of respondents (complete rows). */
  n: number;
  itemMeans: number[];
  itemSds: number[];
  /**
   * α of the scale without item i; null when only one item would remain; an error part when the
   * remaining items have a constant total (α stays defined).
   */
  alphaIfDeleted: (Part<number> | null)[];
  /** Correlation of item i with the sum of the other items; null for a constant item. */
  correctedItemTotalR: (number | null)[];
}

/** Reads a respondents × items matrix with complete, finite rows. */
function checkItems(items: unknown): number[][] {
  if (!Array.isArray(items)) invalid('items must be an array of rows (one row per respondent).');
  const rows = items as unknown[];
  if (rows.length < 2) degenerate(`Cronbach's alpha needs at least 2 respondents; got ${rows.length}.`);
  const k = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
  if (k < 2) degenerate(`Cronbach's alpha needs at least 2 items; got ${k}.`);
  return rows.map((row, i) => {
    if (!Array.isArray(row) || row.length !== k) invalid(`Row ${i + 1} must have ${k} item scores.`);
    return row.map((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        invalid(`Item ${j + 1} of row ${i + 1} must be a finite number.`, { value: String(v) });
      return v;
    });
  });
}

function alphaOf(cols: number[][]): number {
  const k = cols.length;
  const totals = cols[0].map((_, i) => cols.reduce((s, c) => s + c[i], 0));
  const totalSs = sumSquares(totals);
  if (!Number.isFinite(totalSs))
    degenerate("The item scores are too large for double precision, so Cronbach's alpha cannot be computed.");
  if (!(totalSs > 0)) degenerate("The total score is constant, so Cronbach's alpha is undefined.");
  const itemSs = cols.reduce((s, c) => s + sumSquares(c), 0);
  return (k / (k - 1)) * (1 - itemSs / totalSs);
}

/** Cronbach's α = k/(k−1)·(1 − Σ s²_item / s²_total), with alpha-if-deleted and corrected item-total r. */
export function cronbachAlpha(items: readonly (readonly number[])[]): CronbachResult {
  const raw = checkItems(items);
  // α and r are scale-free: rescale by one power of two (exact) so values near 1e200 do not overflow.
  const scale = powerOfTwoScale(raw.flat());
  const rows = scale === 1 ? raw : raw.map((r) => r.map((v) => v / scale));
  const k = rows[0].length;
  const cols = Array.from({ length: k }, (_, j) => rows.map((r) => r[j]));
  const alpha = alphaOf(cols);
  const totals = rows.map((r) => r.reduce((s, v) => s + v, 0));
  const alphaIfDeleted = cols.map((_, j) => (k > 2 ? part(() => alphaOf(cols.filter((__, i) => i !== j))) : null));
  const correctedItemTotalR = cols.map((c) => {
    const rest = totals.map((t, i) => t - c[i]);
    const sc = sumSquares(c);
    const sr = sumSquares(rest);
    return sc > 0 && sr > 0 ? crossProducts(c, rest) / Math.sqrt(sc * sr) : null;
  });
  return {
    alpha,
    k,
    n: rows.length,
    itemMeans: cols.map((c) => mean(c) * scale),
    itemSds: cols.map((c) => Math.sqrt(sumSquares(c) / (c.length - 1)) * scale),
    alphaIfDeleted,
    correctedItemTotalR,
  };
}

export interface KappaResult {
  kappa: number;
  pObserved: number;
  pExpected: number;
  n: number;
  /** Category labels in sorted order; the agreement table follows this order. */
  categories: string[];
  table: number[][];
}

/** Cohen's κ = (p_o − p_e)/(1 − p_e) for two raters' nominal codes of the same cases. */
export function cohenKappa(rater1: readonly (string | number)[], rater2: readonly (string | number)[]): KappaResult {
  if (!Array.isArray(rater1) || !Array.isArray(rater2)) invalid('rater1 and rater2 must be arrays of codes.');
  if (rater1.length !== rater2.length)
    invalid(`Both raters must code the same cases; got ${rater1.length} and ${rater2.length} codes.`);
  if (rater1.length < 2) degenerate(`Cohen's kappa needs at least 2 cases; got ${rater1.length}.`);
  const label = (v: unknown, who: string, i: number): string => {
    if ((typeof v !== 'string' && typeof v !== 'number') || (typeof v === 'number' && !Number.isFinite(v)))
      invalid(`${who}[${i}] must be a category code.`);
    return String(v);
  };
  const a = rater1.map((v, i) => label(v, 'rater1', i));
  const b = rater2.map((v, i) => label(v, 'rater2', i));
  const categories = [...new Set([...a, ...b])].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const table = categories.map(() => categories.map(() => 0));
  a.forEach((v, i) => table[index.get(v)!][index.get(b[i])!]++);
  const n = a.length;
  const pObserved = categories.reduce((s, _, i) => s + table[i][i], 0) / n;
  const rowSums = table.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = categories.map((_, j) => table.reduce((s, r) => s + r[j], 0));
  const pExpected = rowSums.reduce((s, r, i) => s + r * colSums[i], 0) / (n * n);
  if (pExpected === 1) degenerate('Both raters used one and the same category for every case, so kappa is undefined.');
  return { kappa: (pObserved - pExpected) / (1 - pExpected), pObserved, pExpected, n, categories, table };
}

/** Numerically careful building blocks: compensated sums, two-pass variances, average ranks. */

/** Neumaier-compensated sum: exact to about one rounding for the sample sizes we see. */
export function sum(values: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

/**
 * Sum of squared deviations about the mean, by the corrected two-pass formula (no raw Σx²). Both sums are
 * Neumaier-compensated in one loop without intermediate arrays; the arithmetic is that of `sum` over the
 * deviations and over their squares, so the result is bit for bit the same.
 */
export function sumSquares(values: readonly number[], m = mean(values)): number {
  let s1 = 0;
  let c1 = 0;
  let s2 = 0;
  let c2 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    const t1 = s1 + d;
    c1 += Math.abs(s1) >= Math.abs(d) ? s1 - t1 + d : d - t1 + s1;
    s1 = t1;
    const q = d * d;
    const t2 = s2 + q;
    c2 += Math.abs(s2) >= Math.abs(q) ? s2 - t2 + q : q - t2 + s2;
    s2 = t2;
  }
  const s = s1 + c1;
  return s2 + c2 - (s * s) / values.length;
}

/** Sample variance with denominator n − 1. */
export function variance(values: readonly number[]): number {
  return sumSquares(values) / (values.length - 1);
}

export function sd(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/** Sum of cross-products of deviations, two-pass (compensated as `sum`, without an intermediate array). */
export function crossProducts(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = (x[i] - mx) * (y[i] - my);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Ranks 1..n with ties given their average rank (as R's rank(), ties.method = "average"). A numeric sort
 * of a typed copy, then one average rank per distinct value: survey items have few distinct values, and
 * this avoids an index sort with a comparator (the cost of Spearman's ρ).
 */
export function ranks(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const rankOf = new Map<number, number>();
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    rankOf.set(sorted[i], (i + j) / 2 + 1);
    i = j + 1;
  }
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = rankOf.get(values[k])!;
  return out;
}

/**
 * Values beyond about 1e154 overflow when squared. Dividing by a power of two is exact, so a
 * scale-free statistic (r, α, t) computed on `rescaled(values)` equals the one on the raw values.
 * Returns 1 (no rescaling) for ordinary magnitudes.
 */
export function powerOfTwoScale(values: readonly number[]): number {
  let mx = 0;
  for (const v of values) mx = Math.max(mx, Math.abs(v));
  if (!(mx > 0) || !Number.isFinite(mx) || (mx < 2 ** 400 && mx > 2 ** -400)) return 1;
  return 2 ** Math.floor(Math.log2(mx));
}

export function rescaled(values: readonly number[], scale = powerOfTwoScale(values)): number[] {
  return scale === 1 ? [...values] : values.map((v) => v / scale);
}

/** Summary statistics of one group. */
export interface GroupSummary {
  mean: number;
  sd: number;
  n: number;
}

export function summarize(values: readonly number[]): GroupSummary {
  return { mean: mean(values), sd: sd(values), n: values.length };
}

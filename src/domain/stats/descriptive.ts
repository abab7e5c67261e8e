/** Numerically careful building blocks: compensated sums, two-pass variances, average ranks. */

/** Neumaier-compensated sum: exact to about one rounding for the sample sizes we see. */
export function sum(values: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

/** Sum of squared deviations about the mean, by the corrected two-pass formula (no raw Σx²). */
export function sumSquares(values: readonly number[], m = mean(values)): number {
  const dev = values.map((v) => v - m);
  const s = sum(dev);
  return sum(dev.map((d) => d * d)) - (s * s) / values.length;
}

/** Sample variance with denominator n − 1. */
export function variance(values: readonly number[]): number {
  return sumSquares(values) / (values.length - 1);
}

export function sd(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/** Sum of cross-products of deviations, two-pass. */
export function crossProducts(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  return sum(x.map((v, i) => (v - mx) * (y[i] - my)));
}

/** Ranks 1..n with ties given their average rank (as R's rank(), ties.method = "average"). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = avg;
    i = j + 1;
  }
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

/**
 * Pearson correlation with its t-test and Fisher-z CI, and Spearman's rank correlation with the
 * asymptotic t p-value, as R's cor.test computes them (Spearman with exact = FALSE).
 */
import { crossProducts, ranks, rescaled, sumSquares } from './descriptive.ts';
import { qnorm, tTwoSidedP } from './distributions.ts';
import { degenerate, level as checkLevel, sample } from './guards.ts';

export interface PearsonResult {
  r: number;
  n: number;
  t: number;
  df: number;
  p: number;
  /** Fisher-z interval tanh(atanh r ± z/√(n−3)); null when n = 3, as in R. */
  ci: [number, number] | null;
  level: number;
}

export interface SpearmanResult {
  rho: number;
  n: number;
  t: number;
  df: number;
  /** Two-sided p from t = ρ√((n−2)/(1−ρ²)) on n − 2 df (R's exact = FALSE). */
  pAsymptoticT: number;
}

function pair(x: readonly number[], y: readonly number[]): [number[], number[]] {
  const xs = sample(x, 'x', 3);
  const ys = sample(y, 'y', 3);
  if (xs.length !== ys.length) degenerate(`x and y must have the same length; got ${xs.length} and ${ys.length}.`);
  return [xs, ys];
}

/** r of two samples; only a constant variable (or an empty spread) makes it undefined. */
function rOf(x: number[], y: number[], what: string): number {
  // Rescale by a power of two (exact): values near 1e200 would otherwise overflow when squared.
  const xs = rescaled(x);
  const ys = rescaled(y);
  const sxx = sumSquares(xs);
  const syy = sumSquares(ys);
  if (!Number.isFinite(sxx) || !Number.isFinite(syy))
    degenerate(`The values are too large for double precision, so the ${what} correlation cannot be computed.`);
  if (!(sxx > 0) || !(syy > 0)) degenerate(`One variable is constant, so the ${what} correlation is undefined.`);
  const v = crossProducts(xs, ys) / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, v));
}

function r(xs: number[], ys: number[], what: string): number {
  const clipped = rOf(xs, ys, what);
  if (Math.abs(clipped) === 1)
    degenerate(`The ${what} correlation is exactly ${clipped}, so its t-test is undefined.`, { r: clipped });
  return clipped;
}

/** Pearson's r alone: defined also when it is exactly ±1 (where its t-test is not). */
export function pearsonR(x: readonly number[], y: readonly number[]): number {
  const [xs, ys] = pair(x, y);
  return rOf(xs, ys, 'Pearson');
}

/** Spearman's ρ alone: defined also when it is exactly ±1 (where its t-test is not). */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  const [xs, ys] = pair(x, y);
  return rOf(ranks(xs), ranks(ys), 'Spearman');
}

/** Pearson's r with t-test (df = n − 2) and Fisher-z confidence interval. */
export function pearsonCorrelation(
  x: readonly number[],
  y: readonly number[],
  options?: { level?: number },
): PearsonResult {
  const lvl = checkLevel(options?.level);
  const [xs, ys] = pair(x, y);
  const n = xs.length;
  const rv = r(xs, ys, 'Pearson');
  const df = n - 2;
  const t = (Math.sqrt(df) * rv) / Math.sqrt(1 - rv * rv);
  let ci: [number, number] | null = null;
  if (n > 3) {
    const z = Math.atanh(rv);
    const half = qnorm((1 + lvl) / 2) / Math.sqrt(n - 3);
    ci = [Math.tanh(z - half), Math.tanh(z + half)];
  }
  return { r: rv, n, t, df, p: tTwoSidedP(t, df), ci, level: lvl };
}

/** Spearman's ρ: Pearson's r of the average ranks. */
export function spearmanCorrelation(x: readonly number[], y: readonly number[]): SpearmanResult {
  const [xs, ys] = pair(x, y);
  const n = xs.length;
  const rho = r(ranks(xs), ranks(ys), 'Spearman');
  const df = n - 2;
  const t = rho / Math.sqrt((1 - rho * rho) / df);
  return { rho, n, t, df, pAsymptoticT: tTwoSidedP(t, df) };
}

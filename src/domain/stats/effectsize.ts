/**
 * Standardized mean differences. Papers report d in two ways, and Spiegel offers both:
 * the pooled-SD d (Cohen 1988) and d = 2t/√df (Rosenthal 1991). For equal groups with Student's t
 * the second is the first times √(N/(N−2)); with unequal groups or Welch's t they part further.
 */
import type { GroupSummary } from './descriptive.ts';
import { degenerate, finite, level as checkLevel, positive } from './guards.ts';
import { ncpInterval } from './noncentralT.ts';
import { checkSummary, pooledSd } from './ttest.ts';

export interface EffectSize {
  /** Cohen's d with the pooled SD: (m1 − m2)/s_pooled. */
  d: number;
  /** Hedges' g = d·J with J = 1 − 3/(4df − 1), df = n1 + n2 − 2. */
  g: number;
  /** Exact CI of d from the noncentral t (Steiger & Fouladi 1997). */
  ci: [number, number];
  level: number;
}

/** Cohen's d with the pooled SD. */
export function cohenD(a: GroupSummary, b: GroupSummary): number {
  const g1 = checkSummary(a, 'group 1');
  const g2 = checkSummary(b, 'group 2');
  const sp = pooledSd(g1, g2);
  if (!(sp > 0)) degenerate("Both groups have standard deviation 0, so Cohen's d is undefined.");
  return (g1.mean - g2.mean) / sp;
}

/** Small-sample correction factor J of Hedges' g (Hedges 1981, the usual approximation). */
export function hedgesCorrection(df: number): number {
  const v = positive(df, 'df');
  if (v <= 0.25) degenerate("Hedges' correction needs df > 0.25.", { df: v });
  return 1 - 3 / (4 * v - 1);
}

/** Hedges' g from d and the df of the pooled SD (n1 + n2 − 2). */
export function hedgesG(d: number, df: number): number {
  return finite(d, 'd') * hedgesCorrection(df);
}

/** d = 2t/√df, the conversion many papers (and SPSS-era reports) use. */
export function dFromT(t: number, df: number): number {
  return (2 * finite(t, 't')) / Math.sqrt(positive(df, 'df'));
}

/** Cohen's d, Hedges' g and the exact CI of d, from summary statistics. */
export function cohenDWithCi(a: GroupSummary, b: GroupSummary, level?: number): EffectSize {
  const lvl = checkLevel(level);
  const d = cohenD(a, b);
  const df = a.n + b.n - 2;
  const scale = Math.sqrt(1 / a.n + 1 / b.n);
  const [lo, hi] = ncpInterval(d / scale, df, lvl);
  return { d, g: hedgesG(d, df), ci: [lo * scale, hi * scale], level: lvl };
}

/** CI for a one-sample or paired d (= t/√n), by the same noncentral-t inversion. */
export function dzCi(dz: number, n: number, level?: number): [number, number] {
  const scale = 1 / Math.sqrt(positive(n, 'n'));
  const [lo, hi] = ncpInterval(finite(dz, 'dz') / scale, n - 1, level);
  return [lo * scale, hi * scale];
}

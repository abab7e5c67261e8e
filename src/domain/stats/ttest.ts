/**
 * t-tests as R's t.test computes them (two-sided), from raw data or from summary statistics
 * (mean, SD, n), which is what published papers and norm tables give.
 */
import { mean, sd, summarize, type GroupSummary } from './descriptive.ts';
import { qt, tTwoSidedP } from './distributions.ts';
import { count, degenerate, finite, level as checkLevel, nonNegative, sample } from './guards.ts';

export type TTestMethod = 'one-sample' | 'paired' | 'student' | 'welch';

export interface TTestResult {
  method: TTestMethod;
  t: number;
  df: number;
  /** Two-sided p-value, from the upper incomplete beta. */
  p: number;
  /** Mean (one-sample), mean difference x − y (paired) or m1 − m2 (independent). */
  estimate: number;
  se: number;
  /** Confidence interval of `estimate` at `level`. */
  ci: [number, number];
  level: number;
}

export interface TTestOptions {
  /** Confidence level of `ci`, default 0.95. */
  level?: number;
}

function finish(
  method: TTestMethod,
  estimate: number,
  se: number,
  df: number,
  nullValue: number,
  options?: TTestOptions,
): TTestResult {
  const lvl = checkLevel(options?.level);
  const t = (estimate - nullValue) / se;
  const q = qt(1 - (1 - lvl) / 2, df);
  return { method, t, df, p: tTwoSidedP(t, df), estimate, se, ci: [estimate - q * se, estimate + q * se], level: lvl };
}

/** Validates a group given as summary statistics; each group needs n ≥ 2 for a variance. */
export function checkSummary(g: GroupSummary, name: string): GroupSummary {
  return {
    mean: finite(g?.mean, `${name}.mean`),
    sd: nonNegative(g?.sd, `${name}.sd`),
    n: count(g?.n, `${name}.n`, 2),
  };
}

// ---------------------------------------------------------------- one sample and paired

/** One-sample t-test of H0: mean = mu. `d` is (mean − mu)/SD. */
export function oneSampleT(
  x: readonly number[],
  mu = 0,
  options?: TTestOptions,
): TTestResult & { mean: number; sd: number; n: number; d: number } {
  const xs = sample(x, 'x', 2);
  const m0 = finite(mu, 'mu');
  const m = mean(xs);
  const s = sd(xs);
  if (!(s > 0))
    degenerate('All values are equal (standard deviation 0), so the t statistic is undefined.', { n: xs.length });
  const res = finish('one-sample', m, s / Math.sqrt(xs.length), xs.length - 1, m0, options);
  return { ...res, mean: m, sd: s, n: xs.length, d: (m - m0) / s };
}

/** Paired t-test on the differences x − y. `dz` is mean(diff)/SD(diff). */
export function pairedT(
  x: readonly number[],
  y: readonly number[],
  options?: TTestOptions,
): TTestResult & { n: number; sdDiff: number; dz: number } {
  const xs = sample(x, 'x', 2);
  const ys = sample(y, 'y', 2);
  if (xs.length !== ys.length) degenerate(`Paired data need as many x as y values; got ${xs.length} and ${ys.length}.`);
  const diff = xs.map((v, i) => v - ys[i]);
  const m = mean(diff);
  const s = sd(diff);
  if (!(s > 0))
    degenerate('All paired differences are equal (standard deviation 0), so the t statistic is undefined.', {
      n: diff.length,
    });
  const res = finish('paired', m, s / Math.sqrt(diff.length), diff.length - 1, 0, options);
  return { ...res, n: diff.length, sdDiff: s, dz: m / s };
}

// ---------------------------------------------------------------- independent groups

/** Pooled SD of two groups: √(((n1−1)s1² + (n2−1)s2²)/(n1+n2−2)). */
export function pooledSd(a: GroupSummary, b: GroupSummary): number {
  return Math.sqrt(((a.n - 1) * a.sd * a.sd + (b.n - 1) * b.sd * b.sd) / (a.n + b.n - 2));
}

/** Student's t-test (equal variances) from summary statistics; estimate = a.mean − b.mean. */
export function studentFromSummary(a: GroupSummary, b: GroupSummary, options?: TTestOptions): TTestResult {
  const g1 = checkSummary(a, 'group 1');
  const g2 = checkSummary(b, 'group 2');
  const sp = pooledSd(g1, g2);
  if (!(sp > 0)) degenerate('Both groups have standard deviation 0, so the t statistic is undefined.');
  return finish('student', g1.mean - g2.mean, sp * Math.sqrt(1 / g1.n + 1 / g2.n), g1.n + g2.n - 2, 0, options);
}

/** Welch's t-test (unequal variances) with Welch–Satterthwaite df, from summary statistics. */
export function welchFromSummary(a: GroupSummary, b: GroupSummary, options?: TTestOptions): TTestResult {
  const g1 = checkSummary(a, 'group 1');
  const g2 = checkSummary(b, 'group 2');
  const v1 = (g1.sd * g1.sd) / g1.n;
  const v2 = (g2.sd * g2.sd) / g2.n;
  const v = v1 + v2;
  if (!(v > 0)) degenerate('Both groups have standard deviation 0, so the t statistic is undefined.');
  const df = (v * v) / ((v1 * v1) / (g1.n - 1) + (v2 * v2) / (g2.n - 1));
  return finish('welch', g1.mean - g2.mean, Math.sqrt(v), df, 0, options);
}

export function studentT(x: readonly number[], y: readonly number[], options?: TTestOptions): TTestResult {
  return studentFromSummary(summarizeSample(x, 'x'), summarizeSample(y, 'y'), options);
}

export function welchT(x: readonly number[], y: readonly number[], options?: TTestOptions): TTestResult {
  return welchFromSummary(summarizeSample(x, 'x'), summarizeSample(y, 'y'), options);
}

/** Validated summary of a raw sample (n ≥ 2). */
export function summarizeSample(x: readonly number[], name: string): GroupSummary {
  return summarize(sample(x, name, 2));
}

/**
 * One-way ANOVA: the classic F-test with η², and Welch's test for unequal variances (Welch 1951),
 * as R's oneway.test computes it. Both work from per-group summaries, so raw data and published
 * tables go through the same code.
 */
import { sumSquares, mean, type GroupSummary } from './descriptive.ts';
import { pfUpper } from './distributions.ts';
import { count, degenerate, finite, invalid, nonNegative, sample } from './guards.ts';
import { part, type Part } from './parts.ts';

export interface AnovaResult {
  F: number;
  df1: number;
  df2: number;
  /** Upper tail of F(df1, df2), from the upper incomplete beta. */
  p: number;
}

export interface ClassicAnovaResult extends AnovaResult {
  ssBetween: number;
  ssWithin: number;
  /** η² = SS_between / SS_total. */
  etaSquared: number;
}

export interface OneWayResult {
  groups: { label: string; mean: number; sd: number; n: number }[];
  classic: ClassicAnovaResult;
  /** Welch's test, or the reason it is undefined (a group of one, a constant group); classic F stays. */
  welch: Part<AnovaResult>;
}

function checkGroups(groups: readonly GroupSummary[], minN: number): GroupSummary[] {
  if (!Array.isArray(groups)) invalid('groups must be an array.');
  if (groups.length < 2)
    degenerate(`A one-way ANOVA needs at least 2 groups; got ${groups.length}.`, { k: groups.length });
  return groups.map((g, i) => ({
    mean: finite(g?.mean, `group ${i + 1} mean`),
    sd: nonNegative(g?.sd, `group ${i + 1} sd`),
    n: count(g?.n, `group ${i + 1} n`, minN),
  }));
}

/**
 * Classic one-way ANOVA from group summaries. `ssWithin` may be given exactly (raw data); otherwise
 * it is rebuilt from the SDs.
 */
export function anovaFromSummary(groups: readonly GroupSummary[], ssWithinExact?: number): ClassicAnovaResult {
  const gs = checkGroups(groups, 1);
  const N = gs.reduce((s, g) => s + g.n, 0);
  const k = gs.length;
  if (N - k < 1) degenerate('A one-way ANOVA needs more cases than groups.', { N, k });
  const grand = gs.reduce((s, g) => s + g.n * g.mean, 0) / N;
  const ssBetween = gs.reduce((s, g) => s + g.n * (g.mean - grand) ** 2, 0);
  const ssWithin = ssWithinExact ?? gs.reduce((s, g) => s + (g.n - 1) * g.sd * g.sd, 0);
  if (!Number.isFinite(ssWithin) || !Number.isFinite(ssBetween))
    degenerate('The values are too large for double precision, so the F statistic cannot be computed.');
  if (!(ssWithin > 0)) degenerate('Every group has zero variance, so the F statistic is undefined.');
  const df1 = k - 1;
  const df2 = N - k;
  const F = ssBetween / df1 / (ssWithin / df2);
  return { F, df1, df2, p: pfUpper(F, df1, df2), ssBetween, ssWithin, etaSquared: ssBetween / (ssBetween + ssWithin) };
}

/** Welch's heteroscedastic one-way ANOVA from group summaries (each n ≥ 2, each SD > 0). */
export function welchAnovaFromSummary(groups: readonly GroupSummary[]): AnovaResult {
  const gs = checkGroups(groups, 2);
  gs.forEach((g, i) => {
    if (!(g.sd > 0)) degenerate(`Group ${i + 1} has zero variance, so Welch's ANOVA is undefined.`, { group: i + 1 });
  });
  const k = gs.length;
  const w = gs.map((g) => g.n / (g.sd * g.sd));
  const sw = w.reduce((s, v) => s + v, 0);
  const m = gs.reduce((s, g, i) => s + w[i] * g.mean, 0) / sw;
  const tmp = gs.reduce((s, g, i) => s + (1 - w[i] / sw) ** 2 / (g.n - 1), 0) / (k * k - 1);
  const num = gs.reduce((s, g, i) => s + w[i] * (g.mean - m) ** 2, 0);
  const F = num / ((k - 1) * (1 + 2 * (k - 2) * tmp));
  const df1 = k - 1;
  const df2 = 1 / (3 * tmp);
  return { F, df1, df2, p: pfUpper(F, df1, df2) };
}

/** Splits y by group label, keeping the order in which labels first appear. */
export function splitByGroup(
  labels: readonly (string | number)[],
  y: readonly number[],
): { label: string; values: number[] }[] {
  if (!Array.isArray(labels) || !Array.isArray(y)) invalid('groups and y must be arrays.');
  if (labels.length !== y.length)
    invalid(`groups and y must have the same length; got ${labels.length} and ${y.length}.`);
  const ys = sample(y, 'y', 0);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (typeof l !== 'string' && typeof l !== 'number') invalid(`groups[${i}] must be a string or number.`);
    const key = String(l);
    const list = byLabel.get(key) ?? [];
    list.push(ys[i]);
    byLabel.set(key, list);
  });
  return [...byLabel.entries()].map(([label, values]) => ({ label, values }));
}

/** Classic and Welch one-way ANOVA from raw data given as a group label per observation. */
export function oneWayAnova(labels: readonly (string | number)[], y: readonly number[]): OneWayResult {
  const split = splitByGroup(labels, y);
  const groups = split.map(({ label, values }) => {
    const m = mean(values);
    const ss = sumSquares(values, m);
    return { label, mean: m, ss, n: values.length, sd: values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0 };
  });
  const ssWithin = groups.reduce((s, g) => s + g.ss, 0);
  const summaries = groups.map(({ label, mean: m, sd, n }) => ({ label, mean: m, sd, n }));
  return {
    groups: summaries,
    classic: anovaFromSummary(summaries, ssWithin),
    welch: part(() => welchAnovaFromSummary(summaries)),
  };
}

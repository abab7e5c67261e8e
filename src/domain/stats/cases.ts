/**
 * The case format of reference/stats/cases.json (made by R): each case has a `kind`, its input
 * fields, and output fields. `computeCase` reads only the inputs and returns the case with every
 * output recomputed by Spiegel under R's field names. `spiegel stats compute` is a thin shell on this.
 */
import { isSpiegelError } from '../errors.ts';
import { anovaFromSummary, splitByGroup, welchAnovaFromSummary } from './anova.ts';
import { contingencyTest, fisherExact2x2 } from './contingency.ts';
import { pearsonCorrelation, pearsonR, spearmanCorrelation, spearmanRho } from './correlation.ts';
import { mean, sumSquares } from './descriptive.ts';
import { cohenD, cohenDWithCi, dzCi, hedgesG } from './effectsize.ts';
import { invalid } from './guards.ts';
import { normComparison } from './norms.ts';
import { isStatError, part, type StatError } from './parts.ts';
import { reliableChange } from './reliableChange.ts';
import { cohenKappa, cronbachAlpha } from './reliability.ts';
import {
  oneSampleT,
  pairedT,
  studentFromSummary,
  summarizeSample,
  welchFromSummary,
  type TTestResult,
} from './ttest.ts';

type Json = Record<string, unknown>;

/** Input fields per kind; anything else in a case is ignored and not echoed. */
export const CASE_INPUTS = {
  t_independent_raw: ['x', 'y'],
  t_paired_raw: ['x', 'y'],
  t_one_sample_raw: ['x', 'mu'],
  t_independent_summary: ['m1', 's1', 'n1', 'm2', 's2', 'n2'],
  anova_oneway: ['groups', 'y'],
  chisq_table: ['table'],
  cronbach_alpha: ['items'],
  correlation: ['x', 'y'],
  cohen_kappa: ['rater1', 'rater2'],
  reliable_change: ['sd', 'reliability', 'pre', 'post'],
  d_independent_raw: ['x', 'y'],
  d_independent_summary: ['m1', 's1', 'n1', 'm2', 's2', 'n2'],
  dz_paired_raw: ['x', 'y'],
  fisher_exact: ['table'],
  norm_comparison: ['m', 'sd', 'n', 'norm_m', 'norm_sd', 'norm_n'],
} as const;

export type CaseKind = keyof typeof CASE_INPUTS;

const tOut = (r: TTestResult, withCi: boolean): Json =>
  withCi ? { t: r.t, df: r.df, p: r.p, ci95: r.ci } : { t: r.t, df: r.df, p: r.p };

/** Runs each part on its own: an undefined part holds `{ error }`, the others are still computed. */
const parts = (fns: Record<string, () => unknown>): Json =>
  Object.fromEntries(Object.entries(fns).map(([k, fn]) => [k, part(fn)]));

/** A correlation whose t-test is undefined (|r| = 1) still reports r; t, p and the CI carry the reason. */
function correlationParts<T>(full: () => T, rOnly: () => number, shape: (r: T) => Json, rName: string, rest: string[]) {
  const whole = part(full);
  if (!isStatError(whole)) return shape(whole);
  const r = part(rOnly);
  if (isStatError(r)) return whole;
  return { [rName]: r, ...Object.fromEntries(rest.map((k) => [k, whole])) };
}

// The casts below only name the shape; every function validates its own input.
/* eslint-disable @typescript-eslint/no-explicit-any */
const compute: Record<CaseKind, (c: any) => Json> = {
  t_independent_raw: (c) => {
    const a = summarizeSample(c.x, 'x');
    const b = summarizeSample(c.y, 'y');
    return parts({
      student: () => tOut(studentFromSummary(a, b), true),
      welch: () => tOut(welchFromSummary(a, b), true),
      cohen_d_pooled: () => cohenD(a, b),
      hedges_g: () => hedgesG(cohenD(a, b), a.n + b.n - 2),
    });
  },
  t_paired_raw: (c) => {
    const r = pairedT(c.x, c.y);
    return { ...tOut(r, true), dz: r.dz };
  },
  t_one_sample_raw: (c) => tOut(oneSampleT(c.x, c.mu), true),
  t_independent_summary: (c) => {
    const a = { mean: c.m1, sd: c.s1, n: c.n1 };
    const b = { mean: c.m2, sd: c.s2, n: c.n2 };
    return parts({
      student: () => tOut(studentFromSummary(a, b), false),
      welch: () => tOut(welchFromSummary(a, b), false),
      cohen_d_pooled: () => cohenD(a, b),
    });
  },
  anova_oneway: (c) => {
    const groups = splitByGroup(c.groups, c.y).map(({ values }) => {
      const m = mean(values);
      const ss = sumSquares(values, m);
      return { mean: m, ss, n: values.length, sd: values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0 };
    });
    const ssWithin = groups.reduce((s, g) => s + g.ss, 0);
    return parts({
      classic: () => {
        const { F, df1, df2, p, etaSquared } = anovaFromSummary(groups, ssWithin);
        return { F, df1, df2, p, eta_squared: etaSquared };
      },
      welch: () => {
        const { F, df1, df2, p } = welchAnovaFromSummary(groups);
        return { F, df1, df2, p };
      },
    });
  },
  chisq_table: (c) => {
    const r = contingencyTest(c.table);
    const out: Json = { pearson: { ...r.pearson } };
    if (r.yates) out.yates = { ...r.yates };
    if (r.fisher) out.fisher_p = isStatError(r.fisher) ? r.fisher : r.fisher.p;
    return out;
  },
  cronbach_alpha: (c) => {
    const r = part(() => cronbachAlpha(c.items));
    if (isStatError(r)) {
      // α itself is undefined (constant total); alpha-if-deleted may still be defined for some items.
      const k = Array.isArray(c.items?.[0]) ? c.items[0].length : 0;
      const cols = (j: number) => c.items.map((row: number[]) => row.filter((_: number, i: number) => i !== j));
      return {
        alpha: r,
        alpha_if_deleted: Array.from({ length: k }, (_, j) =>
          k > 2 ? part(() => cronbachAlpha(cols(j)).alpha) : null,
        ),
        corrected_item_total_r: r,
      };
    }
    return { alpha: r.alpha, alpha_if_deleted: r.alphaIfDeleted, corrected_item_total_r: r.correctedItemTotalR };
  },
  correlation: (c) => ({
    pearson: correlationParts(
      () => pearsonCorrelation(c.x, c.y),
      () => pearsonR(c.x, c.y),
      (p) => ({ r: p.r, t: p.t, df: p.df, p: p.p, ci95: p.ci }),
      'r',
      ['t', 'df', 'p', 'ci95'],
    ),
    spearman: correlationParts(
      () => spearmanCorrelation(c.x, c.y),
      () => spearmanRho(c.x, c.y),
      (s) => ({ rho: s.rho, p_asymptotic_t: s.pAsymptoticT }),
      'rho',
      ['p_asymptotic_t'],
    ),
  }),
  cohen_kappa: (c) => {
    const r = cohenKappa(c.rater1, c.rater2);
    return { kappa: r.kappa, p_observed: r.pObserved, p_expected: r.pExpected };
  },
  reliable_change: (c) => {
    const r = reliableChange({ sd: c.sd, reliability: c.reliability, pre: c.pre, post: c.post });
    return { s_diff: r.sDiff, rc: r.rc, threshold_raw_change: r.thresholdRawChange };
  },
  d_independent_raw: (c) => {
    const a = summarizeSample(c.x, 'x');
    const b = summarizeSample(c.y, 'y');
    const r = cohenDWithCi(a, b);
    return { cohen_d_pooled: r.d, hedges_g: r.g, ci95: r.ci };
  },
  d_independent_summary: (c) => {
    const r = cohenDWithCi({ mean: c.m1, sd: c.s1, n: c.n1 }, { mean: c.m2, sd: c.s2, n: c.n2 });
    return { cohen_d_pooled: r.d, hedges_g: r.g, ci95: r.ci };
  },
  dz_paired_raw: (c) => {
    const r = pairedT(c.x, c.y);
    return { dz: r.dz, ci95: dzCi(r.dz, r.n) };
  },
  fisher_exact: (c) => {
    const r = fisherExact2x2(c.table);
    return { p: r.p, odds_ratio: r.oddsRatio, ci95: r.ci };
  },
  norm_comparison: (c) => {
    const r = normComparison({ mean: c.m, sd: c.sd, n: c.n }, { mean: c.norm_m, sd: c.norm_sd, n: c.norm_n });
    return {
      welch: tOut(r.welch, true),
      d_from_t: r.dFromT,
      cohen_d_pooled: r.cohenD,
      hedges_g: r.hedgesG,
      z_of_group_mean: r.zOfGroupMean,
      percentile_of_group_mean: r.percentileOfGroupMean,
    };
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function isKind(kind: unknown): kind is CaseKind {
  return typeof kind === 'string' && Object.hasOwn(CASE_INPUTS, kind);
}

/** Recomputes one case from its input fields. */
export function computeCase(input: unknown): Json {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid('A case must be a JSON object.');
  const c = input as Json;
  if (!isKind(c.kind))
    invalid(`Unknown case kind '${String(c.kind)}'; expected one of ${Object.keys(CASE_INPUTS).join(', ')}.`);
  const inputs: Json = { kind: c.kind };
  for (const field of CASE_INPUTS[c.kind]) {
    if (!(field in c)) invalid(`A ${c.kind} case needs the field '${field}'.`);
    inputs[field] = c[field];
  }
  return { ...inputs, ...compute[c.kind](inputs) };
}

/** A case that could not be computed at all: its kind (when known) and the reason, in its place. */
export type FailedCase = { kind?: string } & StatError;

/**
 * Recomputes every case of a `{ "cases": [...] }` document. A bad case never aborts the batch: it
 * gets `{ kind, error: { code, message } }` in its place (the message names the case), and `failed`
 * counts them, so the caller can set an exit code.
 */
export function computeCases(doc: unknown): { cases: Json[]; failed: number } {
  const cases = (doc as { cases?: unknown } | null)?.cases;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(cases))
    invalid('The input must be a JSON object with a "cases" array.');
  let failed = 0;
  const out = cases.map((c, i) => {
    try {
      return computeCase(c);
    } catch (error) {
      if (!isSpiegelError(error)) throw error;
      failed++;
      const kind = (c as Json | null)?.kind;
      // Echo the kind and the input fields given, so the failed case can be found and fixed.
      const named: Json = typeof kind === 'string' ? { kind } : {};
      if (isKind(kind)) for (const f of CASE_INPUTS[kind]) if (f in (c as Json)) named[f] = (c as Json)[f];
      return {
        ...named,
        error: {
          code: error.code,
          message: `case ${i + 1}${typeof kind === 'string' ? ` (${kind})` : ''}: ${error.message}`,
        },
      } satisfies FailedCase as Json;
    }
  });
  return { cases: out, failed };
}

/** Removes every output field, leaving kind and inputs: what a client sends to `stats compute`. */
export function stripOutputs(doc: { cases: Json[] }): { cases: Json[] } {
  return {
    cases: doc.cases.map((c) => {
      const kind = c.kind as CaseKind;
      if (!isKind(kind)) return { ...c };
      return Object.fromEntries(['kind', ...CASE_INPUTS[kind]].map((f) => [f, c[f]]));
    }),
  };
}

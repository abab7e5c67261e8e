/**
 * The case format of reference/stats/cases.json (made by R): each case has a `kind`, its input
 * fields, and output fields. `computeCase` reads only the inputs and returns the case with every
 * output recomputed by Spiegel under R's field names. `spiegel stats compute` is a thin shell on this.
 */
import { SpiegelError, isSpiegelError } from '../errors.ts';
import { oneWayAnova } from './anova.ts';
import { contingencyTest } from './contingency.ts';
import { pearsonCorrelation, spearmanCorrelation } from './correlation.ts';
import { cohenD, hedgesG } from './effectsize.ts';
import { invalid } from './guards.ts';
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
} as const;

export type CaseKind = keyof typeof CASE_INPUTS;

const tOut = (r: TTestResult, withCi: boolean): Json =>
  withCi ? { t: r.t, df: r.df, p: r.p, ci95: r.ci } : { t: r.t, df: r.df, p: r.p };

// The casts below only name the shape; every function validates its own input.
/* eslint-disable @typescript-eslint/no-explicit-any */
const compute: Record<CaseKind, (c: any) => Json> = {
  t_independent_raw: (c) => {
    const a = summarizeSample(c.x, 'x');
    const b = summarizeSample(c.y, 'y');
    const d = cohenD(a, b);
    return {
      student: tOut(studentFromSummary(a, b), true),
      welch: tOut(welchFromSummary(a, b), true),
      cohen_d_pooled: d,
      hedges_g: hedgesG(d, a.n + b.n - 2),
    };
  },
  t_paired_raw: (c) => {
    const r = pairedT(c.x, c.y);
    return { ...tOut(r, true), dz: r.dz };
  },
  t_one_sample_raw: (c) => tOut(oneSampleT(c.x, c.mu), true),
  t_independent_summary: (c) => {
    const a = { mean: c.m1, sd: c.s1, n: c.n1 };
    const b = { mean: c.m2, sd: c.s2, n: c.n2 };
    return {
      student: tOut(studentFromSummary(a, b), false),
      welch: tOut(welchFromSummary(a, b), false),
      cohen_d_pooled: cohenD(a, b),
    };
  },
  anova_oneway: (c) => {
    const r = oneWayAnova(c.groups, c.y);
    const { F, df1, df2, p, etaSquared } = r.classic;
    return {
      classic: { F, df1, df2, p, eta_squared: etaSquared },
      welch: { F: r.welch.F, df1: r.welch.df1, df2: r.welch.df2, p: r.welch.p },
    };
  },
  chisq_table: (c) => {
    const r = contingencyTest(c.table);
    const out: Json = { pearson: { ...r.pearson } };
    if (r.yates) out.yates = { ...r.yates };
    if (r.fisher) out.fisher_p = r.fisher.p;
    return out;
  },
  cronbach_alpha: (c) => {
    const r = cronbachAlpha(c.items);
    return { alpha: r.alpha, alpha_if_deleted: r.alphaIfDeleted, corrected_item_total_r: r.correctedItemTotalR };
  },
  correlation: (c) => {
    const p = pearsonCorrelation(c.x, c.y);
    const s = spearmanCorrelation(c.x, c.y);
    return {
      pearson: { r: p.r, t: p.t, df: p.df, p: p.p, ci95: p.ci },
      spearman: { rho: s.rho, p_asymptotic_t: s.pAsymptoticT },
    };
  },
  cohen_kappa: (c) => {
    const r = cohenKappa(c.rater1, c.rater2);
    return { kappa: r.kappa, p_observed: r.pObserved, p_expected: r.pExpected };
  },
  reliable_change: (c) => {
    const r = reliableChange({ sd: c.sd, reliability: c.reliability, pre: c.pre, post: c.post });
    return { s_diff: r.sDiff, rc: r.rc, threshold_raw_change: r.thresholdRawChange };
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

/** Recomputes every case of a `{ "cases": [...] }` document; errors name the case. */
export function computeCases(doc: unknown): { cases: Json[] } {
  const cases = (doc as { cases?: unknown } | null)?.cases;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(cases))
    invalid('The input must be a JSON object with a "cases" array.');
  return {
    cases: cases.map((c, i) => {
      try {
        return computeCase(c);
      } catch (error) {
        if (!isSpiegelError(error)) throw error;
        const kind = (c as Json | null)?.kind;
        throw new SpiegelError(
          error.code,
          `case ${i + 1}${typeof kind === 'string' ? ` (${kind})` : ''}: ${error.message}`,
          { case: i + 1, ...(error.details as object) },
        );
      }
    }),
  };
}

/** Removes every output field, leaving kind and inputs: what a client sends to `stats compute`. */
export function stripOutputs(doc: { cases: Json[] }): { cases: Json[] } {
  return {
    cases: doc.cases.map((c) => {
      const kind = c.kind as CaseKind;
      return Object.fromEntries(['kind', ...CASE_INPUTS[kind]].map((f) => [f, c[f]]));
    }),
  };
}

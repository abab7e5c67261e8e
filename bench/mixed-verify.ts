/**
 * Worst deviations from lme4 over every reference case in test/fixtures/mixed (reference.json and
 * extra.json of `small` and `boundary`): the figures quoted in docs/mixed-models.md.
 *   npm run bench -- mixed-verify
 */
import { readFileSync } from 'node:fs';
import { report } from './_report.ts';
import { loadModelData } from '../src/cli/analyze/load.ts';
import { parseFormula } from '../src/domain/stats/mixed/formula.ts';
import { fitGrowthModel, fitInterceptModel, prepareGrowth, prepareIntercept } from '../src/domain/stats/mixed/fit.ts';
import { growthCriterion } from '../src/domain/stats/mixed/growth-model.ts';
import { interceptCriterion } from '../src/domain/stats/mixed/intercept-model.ts';
import type { GrowthStats } from '../src/domain/stats/mixed/growth-stats.ts';
import type { InterceptStats } from '../src/domain/stats/mixed/intercept-stats.ts';
import type { FitMethod, MixedFit } from '../src/domain/stats/mixed/types.ts';

interface Case {
  dir: string;
  data: 'patients' | 'sessions';
  formula: string;
  method: FitMethod;
  criterion: number;
  fixed: { estimate: number; se: number }[];
  criterion_at: { theta: number | number[]; criterion: number }[];
  therapist_eb?: { therapist: number; blup: number; cond_sd: number }[];
  icc?: number;
  icc_profile_ci95?: [number, number];
}

const root = new URL('../test/fixtures/mixed/', import.meta.url).pathname;
const cases: Case[] = [];
for (const dir of ['small', 'boundary']) {
  const r = JSON.parse(readFileSync(`${root}${dir}/reference.json`, 'utf8'));
  for (const [key, data] of [
    ['model_a', 'patients'],
    ['model_b', 'sessions'],
  ] as const) {
    const m = r[key];
    cases.push({
      ...m,
      dir,
      data,
      method: 'REML',
      criterion: m.reml_criterion,
      criterion_at: m.criterion_at.map((c: { theta: number[]; reml_criterion: number }) => ({
        theta: c.theta,
        criterion: c.reml_criterion,
      })),
    });
  }
  const extra = JSON.parse(readFileSync(`${root}${dir}/extra.json`, 'utf8'));
  for (const c of extra.cases) if (!c.formula.includes('lt')) cases.push({ ...c, dir });
}

const worst = { critAt: 0, critOpt: -Infinity, est: 0, se: 0, eb: 0, cond: 0, icc: 0, ci: 0 };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
let fits = 0;
let seconds = 0;
for (const c of cases) {
  const spec = parseFormula(c.formula);
  const data = await loadModelData(`${root}${c.dir}/${c.data}.csv`, spec);
  let fit: MixedFit;
  let at: (t: number[]) => number;
  const t0 = performance.now();
  if (data.kind === 'intercept') {
    const prob = prepareIntercept(data.stats as InterceptStats);
    fit = fitInterceptModel(prob, { method: c.method });
    at = (t) => interceptCriterion(prob, c.method).evaluate(t);
  } else {
    const r = spec.random.kind === 'growth' ? spec.random : null;
    const prob = prepareGrowth(data.stats as GrowthStats, { slope: r?.slope != null, therapist: r?.therapist != null });
    fit = fitGrowthModel(prob, { method: c.method });
    at = (t) => growthCriterion(prob, c.method).evaluate(t);
  }
  seconds += (performance.now() - t0) / 1000;
  fits++;
  for (const p of c.criterion_at)
    worst.critAt = Math.max(worst.critAt, rel(at(Array.isArray(p.theta) ? p.theta : [p.theta]), p.criterion));
  worst.critOpt = Math.max(worst.critOpt, fit.criterion - c.criterion);
  fit.fixed.forEach((f, k) => {
    worst.est = Math.max(worst.est, rel(f.estimate, c.fixed[k].estimate));
    worst.se = Math.max(worst.se, rel(f.se, c.fixed[k].se));
  });
  const byId = new Map(fit.therapistEffects.map((e) => [e.therapist, e]));
  for (const e of c.therapist_eb ?? []) {
    const m = byId.get(String(e.therapist));
    if (!m) continue;
    worst.eb = Math.max(worst.eb, Math.abs(m.blup - e.blup));
    worst.cond = Math.max(worst.cond, Math.abs(m.cond_sd - e.cond_sd));
  }
  if (c.icc !== undefined) worst.icc = Math.max(worst.icc, Math.abs((fit.icc ?? NaN) - c.icc));
  if (c.icc_profile_ci95 && fit.iccProfileCi95)
    worst.ci = Math.max(
      worst.ci,
      ...fit.iccProfileCi95.map((v, k) => Math.abs(v - (c.icc_profile_ci95 as number[])[k])),
    );
}
const bench = 'mixed-verify';
const anchor = 'lme4 1.1-31, tight optimiser (test/fixtures/mixed)';
report({ bench, metric: 'cases', value: fits, unit: 'fits', anchor, seconds });
report({
  bench,
  metric: 'criterion_at_max_rel_error',
  value: worst.critAt,
  unit: 'relative',
  target: '<= 1e-8',
  anchor,
});
report({
  bench,
  metric: 'optimum_criterion_max_excess',
  value: worst.critOpt,
  unit: 'criterion (ours - lme4)',
  target: '<= 1e-6',
  anchor,
});
report({
  bench,
  metric: 'fixed_estimate_max_rel_error',
  value: worst.est,
  unit: 'relative',
  target: '<= 1e-6',
  anchor,
});
report({ bench, metric: 'fixed_se_max_rel_error', value: worst.se, unit: 'relative', target: '<= 1e-6', anchor });
report({ bench, metric: 'eb_blup_max_abs_error', value: worst.eb, unit: 'score units', target: '<= 1e-5', anchor });
report({
  bench,
  metric: 'eb_cond_sd_max_abs_error',
  value: worst.cond,
  unit: 'score units',
  target: '<= 1e-5',
  anchor,
});
report({ bench, metric: 'icc_max_abs_error', value: worst.icc, unit: 'ICC', anchor });
report({ bench, metric: 'icc_profile_ci_max_abs_error', value: worst.ci, unit: 'ICC', anchor });

/**
 * Against lme4 1.1-31 (test/fixtures/mixed/*\/reference.json, written by make_mixed_refs.R):
 * `small` (seed 101) and `boundary` (seed 11, no therapist effect: both θ_therapist estimates are 0).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModelData } from '../../../cli/analyze/load.ts';
import { parseFormula } from './formula.ts';
import { fitGrowthModel, fitInterceptModel, prepareGrowth, prepareIntercept } from './fit.ts';
import { growthCriterion } from './growth-model.ts';
import { interceptCriterion } from './intercept-model.ts';
import type { GrowthStats } from './growth-stats.ts';
import type { InterceptStats } from './intercept-stats.ts';
import type { MixedFit } from './types.ts';

const fixtures = new URL('../../../../test/fixtures/mixed/', import.meta.url).pathname;

interface RefModel {
  formula: string;
  reml_criterion: number;
  theta: number | number[];
  sigma: number;
  fixed: { term: string; estimate: number; se: number }[];
  varcomp: { group: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  criterion_at: { theta: number | number[]; reml_criterion: number }[];
  therapist_eb: { therapist: number; blup: number; cond_sd: number }[];
  icc?: number;
  icc_profile_ci95?: [number, number];
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const arr = (t: number | number[]): number[] => (Array.isArray(t) ? t : [t]);

/** Shared assertions on a fit against an lme4 reference (also used by extra.test.ts). */
export function expectMatchesReference(
  fit: MixedFit,
  ref: Omit<RefModel, 'reml_criterion' | 'criterion_at'> & { criterion: number },
): void {
  expect(fit.converged).toBe(true);
  // At least as good an optimum as lme4's (up to 1e-6 in the criterion).
  expect(fit.criterion).toBeLessThanOrEqual(ref.criterion + 1e-6);
  expect(fit.fixed.map((f) => f.term)).toEqual(ref.fixed.map((f) => f.term));
  fit.fixed.forEach((f, k) => {
    expect(rel(f.estimate, ref.fixed[k].estimate), `estimate ${f.term}`).toBeLessThan(1e-6);
    expect(rel(f.se, ref.fixed[k].se), `se ${f.term}`).toBeLessThan(1e-6);
  });
  expect(rel(fit.sigma, ref.sigma)).toBeLessThan(1e-6);
  expect(fit.varcomp.length).toBe(ref.varcomp.length);
  fit.varcomp.forEach((v, k) => {
    const r = ref.varcomp[k];
    expect([v.group, v.var1, v.var2]).toEqual([r.group, r.var1, r.var2]);
    // Variance parameters: θ is only determined to ~1e-7 by either optimiser; absolute floor for zeros.
    expect(Math.abs(v.vcov - r.vcov)).toBeLessThan(1e-5 * Math.max(Math.abs(r.vcov), 1e-3));
  });
  const t = arr(ref.theta);
  // lme4 often stops a hair above a zero variance (θ ~ 1e-7) where we land on the bound: absolute floor.
  fit.theta.forEach((v, k) =>
    expect(Math.abs(v - t[k]), `theta[${k}]`).toBeLessThan(Math.max(1e-5 * Math.abs(t[k]), 1e-6)),
  );
  const byId = new Map(fit.therapistEffects.map((e) => [e.therapist, e]));
  for (const e of ref.therapist_eb ?? []) {
    const m = byId.get(String(e.therapist));
    expect(m, `therapist ${e.therapist}`).toBeDefined();
    // 1e-5 relative, or relative to the estimate's own uncertainty (cond_sd) for effects near zero.
    const scale = Math.max(Math.abs(e.blup), e.cond_sd, 1e-3);
    expect(Math.abs((m?.blup ?? NaN) - e.blup), `blup ${e.therapist}`).toBeLessThan(1e-5 * scale);
    // cond_sd ≈ σ·θ_therapist near a zero variance, where θ is known to ~1e-6 (see above).
    expect(Math.abs((m?.cond_sd ?? NaN) - e.cond_sd), `cond_sd ${e.therapist}`).toBeLessThan(
      Math.max(1e-5 * e.cond_sd, 1e-6 * ref.sigma),
    );
  }
  // The ICC is θ²/(1+θ²): for small θ its relative precision is twice θ's (the criterion is flat in θ there).
  if (ref.icc !== undefined)
    expect(Math.abs((fit.icc ?? NaN) - ref.icc), 'icc').toBeLessThan(1e-5 * Math.max(ref.icc, 1e-4));
  if (ref.icc_profile_ci95) {
    expect(fit.iccProfileCi95).not.toBeNull();
    const ci = fit.iccProfileCi95 as [number, number];
    expect(Math.abs(ci[0] - ref.icc_profile_ci95[0])).toBeLessThan(1e-8);
    expect(rel(ci[1], ref.icc_profile_ci95[1])).toBeLessThan(1e-6);
  }
}

export async function loadFor(dir: string, data: 'patients' | 'sessions', formula: string) {
  const spec = parseFormula(formula);
  return { spec, data: await loadModelData(`${fixtures}${dir}/${data}.csv`, spec) };
}

for (const dir of ['small', 'boundary']) {
  const ref = JSON.parse(readFileSync(`${fixtures}${dir}/reference.json`, 'utf8')) as {
    model_a: RefModel;
    model_b: RefModel;
  };

  describe(`lme4 reference: ${dir}, model a (random intercept)`, async () => {
    const { data } = await loadFor(dir, 'patients', ref.model_a.formula);
    const stats = data.stats as InterceptStats;
    const prob = prepareIntercept(stats);
    const crit = interceptCriterion(prob, 'REML');

    it.each(ref.model_a.criterion_at.map((c) => [arr(c.theta), c.reml_criterion]))(
      'criterion at θ = %j matches to 1e-8',
      (theta, expected) => {
        expect(rel(crit.evaluate(theta as number[]), expected as number)).toBeLessThan(1e-8);
      },
    );

    it('fit matches lme4: criterion, fixed effects, SEs, EB, ICC and its profile interval', () => {
      const fit = fitInterceptModel(prob);
      expectMatchesReference(fit, { ...ref.model_a, criterion: ref.model_a.reml_criterion });
      expect(fit.nObs).toBe(stats.nObs);
    });
  });

  describe(`lme4 reference: ${dir}, model b (growth)`, async () => {
    const { data } = await loadFor(dir, 'sessions', ref.model_b.formula);
    const prob = prepareGrowth(data.stats as GrowthStats, { slope: true, therapist: true });
    const crit = growthCriterion(prob, 'REML');

    it.each(ref.model_b.criterion_at.map((c) => [arr(c.theta), c.reml_criterion]))(
      'criterion at θ = %j matches to 1e-8',
      (theta, expected) => {
        expect(rel(crit.evaluate(theta as number[]), expected as number)).toBeLessThan(1e-8);
      },
    );

    it('criterion at lme4 θ̂ matches its REML criterion to 1e-12', () => {
      expect(rel(crit.evaluate(arr(ref.model_b.theta)), ref.model_b.reml_criterion)).toBeLessThan(1e-12);
    });

    it('fit matches lme4: criterion, θ, fixed effects, SEs, variance components, therapist EB', () => {
      const fit = fitGrowthModel(prob, { slopeName: 'session', names: { patient: 'patient', therapist: 'therapist' } });
      expectMatchesReference(fit, { ...ref.model_b, criterion: ref.model_b.reml_criterion });
    });
  });
}

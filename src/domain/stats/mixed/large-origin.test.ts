/**
 * Time with a large origin (days since 1970) as the random-slope covariate, against lme4
 * (test/fixtures/mixed/make_large_origin.R). Raw sums of t² cancel fourteen digits here; the
 * builder shifts t and the criterion maps θ to the shifted basis, so it matches lme4's own deviance
 * function on raw days at fixed θ, and the fit reaches the optimum and says it converged.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelData } from '../../../cli/analyze/load.ts';
import { parseFormula } from './formula.ts';
import { fitGrowthModel, growthAt, prepareGrowth } from './fit.ts';
import { growthCriterion } from './growth-model.ts';
import type { GrowthStats } from './growth-stats.ts';

const dir = fileURLToPath(new URL('../../../../test/fixtures/mixed/large_origin/', import.meta.url));
const ref = JSON.parse(readFileSync(dir + 'reference.json', 'utf8')) as {
  formula: string;
  reml_criterion: number;
  theta: number[];
  sigma: number;
  fixed: { term: string; estimate: number; se: number }[];
  criterion_at: { theta: number[]; reml_criterion: number }[];
  nested: {
    formula: string;
    reml_criterion: number;
    theta: number[];
    sigma: number;
    fixed: number[];
    criterion_at: { theta: number[]; reml_criterion: number }[];
  };
};
const structure = { slope: true, therapist: true };

async function problem() {
  const spec = parseFormula(ref.formula);
  const data = await loadModelData(dir + 'sessions.csv', spec);
  return prepareGrowth(data.stats as GrowthStats, structure);
}

describe('growth model with days since 1970 as time', () => {
  it.each(ref.criterion_at.map((c, i) => [i + 1, c] as const))(
    'criterion at fixed θ no. %i matches lme4 to 1e-8 relative',
    async (_i, c) => {
      const crit = growthCriterion(await problem(), 'REML');
      const value = crit.evaluate(c.theta);
      expect(Math.abs(value - c.reml_criterion) / c.reml_criterion).toBeLessThan(1e-8);
    },
  );

  it('fits to the optimum, reports convergence, and maps θ back to raw days', async () => {
    const fit = fitGrowthModel(await problem(), { slopeName: 'day' });
    expect(fit.converged).toBe(true);
    expect(fit.criterion).toBeLessThanOrEqual(ref.reml_criterion + 1e-6);
    expect(Math.abs(fit.criterion - ref.reml_criterion) / ref.reml_criterion).toBeLessThan(1e-8);
    const crit = growthCriterion(await problem(), 'REML');
    // The reported θ is lme4's (raw days): lme4's criterion there is the optimum.
    expect(Math.abs(crit.evaluate(fit.theta) - ref.reml_criterion) / ref.reml_criterion).toBeLessThan(1e-8);
    expect(Math.abs(fit.sigma - ref.sigma) / ref.sigma).toBeLessThan(1e-5);
    ref.fixed.forEach((f, k) => {
      expect(Math.abs(fit.fixed[k].estimate - f.estimate) / Math.abs(f.estimate)).toBeLessThan(1e-5);
      expect(Math.abs(fit.fixed[k].se - f.se) / f.se).toBeLessThan(1e-4);
    });
  });
});

describe('nested notation (1 | therapist/pn): patient ids restart within each therapist', () => {
  it('matches lme4 at fixed θ and at the optimum', async () => {
    const spec = parseFormula(ref.nested.formula);
    expect(spec.innerWithinOuter).toBe(true);
    expect(spec.groupVariables).toEqual(['pn', 'therapist']);
    const data = await loadModelData(dir + 'sessions.csv', spec);
    const prob = prepareGrowth(data.stats as GrowthStats, { slope: false, therapist: true });
    expect(prob.nPatients).toBe(240);
    const c = ref.nested.criterion_at[0];
    const at = growthCriterion(prob, 'REML').evaluate(c.theta);
    expect(Math.abs(at - c.reml_criterion) / c.reml_criterion).toBeLessThan(1e-8);
    const fit = fitGrowthModel(prob, { structure: { slope: false, therapist: true } });
    expect(fit.converged).toBe(true);
    expect(fit.criterion).toBeLessThanOrEqual(ref.nested.reml_criterion + 1e-6);
    expect(Math.abs(fit.criterion - ref.nested.reml_criterion) / ref.nested.reml_criterion).toBeLessThan(1e-9);
    fit.theta.forEach((t, k) => expect(Math.abs(t - ref.nested.theta[k]) / ref.nested.theta[k]).toBeLessThan(1e-4));
  });

  it('the same data without the nesting would be a crossed design, and says so', async () => {
    const spec = parseFormula('score ~ day + (1 | pn) + (1 | therapist)');
    await expect(loadModelData(dir + 'sessions.csv', spec)).rejects.toThrow(/crossed design.*therapist\/patient/);
  });
});

describe("a Dutch CSV (';', decimal commas, UTF-8 BOM)", () => {
  it('reads as the same data: the same criterion as lme4 at fixed θ', async () => {
    const spec = parseFormula(ref.formula);
    const data = await loadModelData(dir + 'sessions_nl.csv', spec);
    expect(data.rowsDropped).toBe(0);
    const prob = prepareGrowth(data.stats as GrowthStats, structure);
    const c = ref.criterion_at[1];
    const value = growthCriterion(prob, 'REML').evaluate(c.theta);
    expect(Math.abs(value - c.reml_criterion) / c.reml_criterion).toBeLessThan(1e-8);
  });
});

describe('all outputs at lme4’s θ̂ (no optimiser in the comparison), 1e-9 relative', () => {
  it('raw days: criterion, σ, fixed effects and SEs', async () => {
    const at = growthAt(await problem(), 'REML', ref.theta, {}, 'day');
    expect(Math.abs(at.criterion - ref.reml_criterion) / ref.reml_criterion).toBeLessThan(1e-9);
    expect(Math.abs(at.sigma - ref.sigma) / ref.sigma).toBeLessThan(1e-9);
    ref.fixed.forEach((f, k) => {
      expect(Math.abs(at.fixed[k].estimate - f.estimate) / Math.abs(f.estimate)).toBeLessThan(1e-9);
      expect(Math.abs(at.fixed[k].se - f.se) / f.se).toBeLessThan(1e-9);
    });
  });
  it('nested notation: criterion, σ and fixed effects', async () => {
    const spec = parseFormula(ref.nested.formula);
    const data = await loadModelData(dir + 'sessions.csv', spec);
    const prob = prepareGrowth(data.stats as GrowthStats, { slope: false, therapist: true });
    const at = growthAt(prob, 'REML', ref.nested.theta);
    expect(Math.abs(at.criterion - ref.nested.reml_criterion) / ref.nested.reml_criterion).toBeLessThan(1e-9);
    expect(Math.abs(at.sigma - ref.nested.sigma) / ref.nested.sigma).toBeLessThan(1e-9);
    ref.nested.fixed.forEach((b, k) => expect(Math.abs(at.fixed[k].estimate - b) / Math.abs(b)).toBeLessThan(1e-9));
  });
  it.each(ref.criterion_at.map((c, i) => [i + 1, c] as const))('Dutch CSV: criterion at θ no. %i', async (_i, c) => {
    const data = await loadModelData(dir + 'sessions_nl.csv', parseFormula(ref.formula));
    const value = growthCriterion(prepareGrowth(data.stats as GrowthStats, structure), 'REML').evaluate(c.theta);
    expect(Math.abs(value - c.reml_criterion) / c.reml_criterion).toBeLessThan(1e-9);
  });
});

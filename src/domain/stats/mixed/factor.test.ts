/**
 * Factor columns (treatment contrasts, a chosen reference level) and a backticked column name,
 * against lme4 (test/fixtures/mixed/make_factor_eb.R): fixed effects, SEs, variance components,
 * the criterion at fixed θ to 1e-8 relative and the fitted values to 1e-9 relative (SEs 1e-7).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelData } from '../../../cli/analyze/load.ts';
import { therapistEffects } from '../../../cli/analyze/therapist-effects.ts';
import { parseFormula } from './formula.ts';
import { sortLevels, withFactors } from './factors.ts';
import { fitInterceptModel, interceptAt, prepareIntercept } from './fit.ts';
import { interceptCriterion } from './intercept-model.ts';
import type { InterceptStats } from './intercept-stats.ts';
import { SpiegelError } from '../../errors.ts';

const dir = fileURLToPath(new URL('../../../../test/fixtures/mixed/factor/', import.meta.url));
type Fixed = { term: string; estimate: number; se: number };
const ref = JSON.parse(readFileSync(dir + 'reference.json', 'utf8')) as {
  formula: string;
  reference: Record<string, string>;
  reml_criterion: number;
  theta: number | number[];
  sigma: number;
  fixed: Fixed[];
  varcomp: { group: string; vcov: number; sdcor: number }[];
  criterion_at: { theta: number | number[]; reml_criterion: number }[];
  ml: {
    deviance: number;
    theta: number[];
    sigma: number;
    fixed: Fixed[];
    criterion_at: { theta: number; deviance: number }[];
  };
  default_reference: { reml_criterion: number; fixed: Fixed[] };
};
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const arr = (t: number | number[]): number[] => (Array.isArray(t) ? t : [t]);

async function load(reference: Record<string, string> = ref.reference) {
  return loadModelData(dir + 'patients.csv', parseFormula(ref.formula), { reference });
}

describe('factor model (treatment contrasts, reference level, backticked name)', () => {
  it('names and orders the design columns as R does', async () => {
    const data = await load();
    expect(data.spec.columns).toEqual(ref.fixed.map((f) => f.term));
    expect(data.spec.factors).toEqual({ treatment: ['wait', 'cbt', 'emdr'], sex: ['f', 'm'] });
  });

  it.each(ref.criterion_at.map((c, i) => [i + 1, c] as const))('REML criterion at θ no. %i to 1e-8', async (_i, c) => {
    const prob = prepareIntercept((await load()).stats as InterceptStats);
    expect(rel(interceptCriterion(prob, 'REML').evaluate(arr(c.theta)), c.reml_criterion)).toBeLessThan(1e-8);
  });

  it('ML deviance at fixed θ to 1e-8', async () => {
    const prob = prepareIntercept((await load()).stats as InterceptStats);
    for (const c of ref.ml.criterion_at)
      expect(rel(interceptCriterion(prob, 'ML').evaluate([c.theta]), c.deviance)).toBeLessThan(1e-8);
  });

  it('REML fit: θ, σ, fixed effects, SEs and variance components match lme4', async () => {
    const fit = fitInterceptModel((await load()).stats as InterceptStats, { skipProfile: true });
    expect(rel(fit.criterion, ref.reml_criterion)).toBeLessThan(1e-9);
    expect(rel(fit.theta[0], arr(ref.theta)[0])).toBeLessThan(1e-6);
    expect(rel(fit.sigma, ref.sigma)).toBeLessThan(1e-8);
    fit.fixed.forEach((f, k) => {
      expect(f.term).toBe(ref.fixed[k].term);
      expect(Math.abs(f.estimate - ref.fixed[k].estimate)).toBeLessThan(1e-7 * ref.fixed[k].se);
      expect(rel(f.se, ref.fixed[k].se)).toBeLessThan(1e-6);
    });
    expect(rel(fit.varcomp[0].vcov, ref.varcomp[0].vcov)).toBeLessThan(1e-5);
    expect(rel(fit.varcomp[1].vcov, ref.varcomp[1].vcov)).toBeLessThan(1e-8);
  });

  it('at lme4’s θ̂ (no optimiser in the comparison): σ, fixed effects, SEs and variances to 1e-9', async () => {
    const at = interceptAt(prepareIntercept((await load()).stats as InterceptStats), 'REML', arr(ref.theta));
    expect(rel(at.criterion, ref.reml_criterion)).toBeLessThan(1e-9);
    expect(rel(at.sigma, ref.sigma)).toBeLessThan(1e-9);
    at.fixed.forEach((f, k) => {
      expect(rel(f.estimate, ref.fixed[k].estimate)).toBeLessThan(1e-9);
      expect(rel(f.se, ref.fixed[k].se)).toBeLessThan(1e-9);
    });
    at.varcomp.forEach((v, k) => expect(rel(v.vcov, ref.varcomp[k].vcov)).toBeLessThan(1e-9));
  });

  it('ML fit matches lme4', async () => {
    const fit = fitInterceptModel((await load()).stats as InterceptStats, { method: 'ML', skipProfile: true });
    expect(rel(fit.criterion, ref.ml.deviance)).toBeLessThan(1e-9);
    fit.fixed.forEach((f, k) => expect(rel(f.se, ref.ml.fixed[k].se)).toBeLessThan(1e-6));
  });

  it('the default reference level is the first in sorted order; the fit is the same model', async () => {
    const data = await load({});
    expect(data.spec.columns).toEqual(ref.default_reference.fixed.map((f) => f.term));
    const fit = fitInterceptModel(data.stats as InterceptStats, { skipProfile: true });
    expect(rel(fit.criterion, ref.default_reference.reml_criterion)).toBeLessThan(1e-9);
    fit.fixed.forEach((f, k) => expect(rel(f.se, ref.default_reference.fixed[k].se)).toBeLessThan(1e-6));
  });

  it('through the CLI analysis: --reference and the JSON names', async () => {
    const out = await therapistEffects({
      input: dir + 'patients.csv',
      formula: ref.formula,
      method: 'REML',
      criterionAt: null,
      reference: { treatment: 'wait' },
    });
    expect((out.fixed as Fixed[]).map((f) => f.term)).toEqual(ref.fixed.map((f) => f.term));
    expect(rel(out.reml_criterion as number, ref.reml_criterion)).toBeLessThan(1e-9);
  });

  it('refuses a reference level that does not occur, and a factor response', async () => {
    await expect(load({ treatment: 'none' })).rejects.toThrow(/reference level 'none' of 'treatment' does not occur/);
    const spec = parseFormula('post ~ treatment + (1 | therapist)');
    expect(() => withFactors(spec, { post: ['a', 'b'] })).toThrow(/the response 'post' must be numeric/);
    expect(() => withFactors(spec, { treatment: ['a'] })).toThrow(SpiegelError);
  });

  it('refuses a numeric column with a stray text value unless it is declared a factor', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'spiegel-factor-')), 'd.csv');
    const rows = [
      'y,age,g',
      ...Array.from({ length: 40 }, (_, i) => `${i % 7},${i % 5 === 0 ? 'n/a' : 30 + (i % 9)},${i % 4}`),
    ];
    writeFileSync(file, rows.join('\n') + '\n');
    const spec = parseFormula('y ~ age + (1 | g)');
    await expect(loadModelData(file, spec)).rejects.toThrow(
      "column 'age' mixes numbers and text (line 2: 'n/a'); fix the value, or declare the column a factor with --factor 'age'",
    );
    const data = await loadModelData(file, spec, { factors: ['age'] });
    expect(data.spec.columns[1]).toBe('age31'); // levels 30…38 and n/a; 30 is the reference
  });

  it('codes a factor without its main effect by indicators, as model.matrix does', () => {
    const spec = withFactors(parseFormula('y ~ x + x:f + (1 | g)'), { f: ['b', 'a', 'c'] });
    expect(spec.columns).toEqual(['(Intercept)', 'x', 'x:fb', 'x:fc']);
    const full = withFactors(parseFormula('y ~ x:f + (1 | g)'), { f: ['b', 'a', 'c'] });
    expect(full.columns).toEqual(['(Intercept)', 'x:fa', 'x:fb', 'x:fc']);
    const two = withFactors(parseFormula('y ~ f * h + (1 | g)'), { f: ['a', 'b', 'c'], h: ['x', 'y'] });
    expect(two.columns).toEqual(['(Intercept)', 'fb', 'fc', 'hy', 'fb:hy', 'fc:hy']);
    expect(sortLevels(['10', '9', '2'])).toEqual(['2', '9', '10']);
  });
});

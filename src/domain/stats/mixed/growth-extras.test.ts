/**
 * Patient-level EB (conditional modes and conditional SDs) and the ICC profile interval of the
 * growth model, against lme4 on small/ (test/fixtures/mixed/make_factor_eb.R, small/growth_eb.json).
 * Evaluated at lme4's θ̂, the EB values depend only on θ, so they are held to 1e-9 relative.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelData } from '../../../cli/analyze/load.ts';
import { parseFormula } from './formula.ts';
import { fitGrowthModel, growthAt, prepareGrowth } from './fit.ts';
import { centreGrowthStats, type GrowthStats } from './growth-stats.ts';
import { growthIccProfile, growthPatientEffects } from './growth-extras.ts';
import type { MixedFit } from './types.ts';
import { therapistEffects } from '../../../cli/analyze/therapist-effects.ts';

const dir = fileURLToPath(new URL('../../../../test/fixtures/mixed/small/', import.meta.url));
const ref = JSON.parse(readFileSync(dir + 'growth_eb.json', 'utf8')) as {
  reml_criterion: number;
  theta: number[];
  icc: number;
  icc_profile_ci95: [number, number];
  patient_eb: {
    patient: number;
    intercept: number;
    slope: number;
    cond_sd_intercept: number;
    cond_sd_slope: number;
    cond_cov: number;
  }[];
};
const structure = { slope: true, therapist: true };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

async function setup() {
  const spec = parseFormula('score ~ session * intake_c + (1 + session | patient) + (1 | therapist)');
  const stats = (await loadModelData(dir + 'sessions.csv', spec)).stats as GrowthStats;
  return { stats, prob: prepareGrowth(stats, structure) };
}

describe('growth model: patient EB and ICC profile interval', () => {
  it('patient conditional modes and conditional SDs at lme4 θ̂ match ranef(condVar = TRUE) to 1e-9', async () => {
    const { stats, prob } = await setup();
    const at = growthAt(prob, 'REML', ref.theta) as unknown as MixedFit;
    expect(rel(at.criterion, ref.reml_criterion)).toBeLessThan(1e-9);
    const eb = growthPatientEffects(centreGrowthStats(stats), prob, at);
    expect(eb).toHaveLength(1500);
    for (const r of ref.patient_eb) {
      const e = eb.find((x) => x.patient === String(r.patient));
      expect(e).toBeDefined();
      if (!e) continue;
      expect(rel(e.intercept, r.intercept)).toBeLessThan(1e-9);
      expect(rel(e.slope as number, r.slope)).toBeLessThan(1e-9);
      expect(rel(e.cond_sd_intercept, r.cond_sd_intercept)).toBeLessThan(1e-9);
      expect(rel(e.cond_sd_slope as number, r.cond_sd_slope)).toBeLessThan(1e-9);
      expect(rel(e.cond_cov as number, r.cond_cov)).toBeLessThan(1e-9);
    }
  });

  it('ICC and its profile-likelihood 95% interval match the R profile', async () => {
    const { prob } = await setup();
    const fit = fitGrowthModel(prob, { slopeName: 'session' });
    expect(rel(fit.icc as number, ref.icc)).toBeLessThan(1e-6);
    const ci = growthIccProfile(prob, 'REML', fit) as [number, number];
    expect(rel(ci[0], ref.icc_profile_ci95[0])).toBeLessThan(1e-9);
    expect(rel(ci[1], ref.icc_profile_ci95[1])).toBeLessThan(1e-9);
  });

  it('through the CLI analysis: --patient-eb and --icc-profile', async () => {
    const out = await therapistEffects({
      input: dir + 'sessions.csv',
      formula: 'score ~ session * intake_c + (1 + session | patient) + (1 | therapist)',
      method: 'REML',
      criterionAt: null,
      patientEb: true,
      iccProfile: true,
    });
    const eb = out.patient_eb as { patient: number; intercept: number; cond_sd_slope: number }[];
    expect(eb).toHaveLength(1500);
    expect(eb[0].patient).toBe(1);
    expect(Math.abs(eb[0].intercept - ref.patient_eb[0].intercept)).toBeLessThan(1e-5);
    const ci = out.icc_profile_ci95 as [number, number];
    expect(rel(ci[1], ref.icc_profile_ci95[1])).toBeLessThan(1e-9);
  });
});

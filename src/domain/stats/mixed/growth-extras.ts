/**
 * Growth-model outputs beyond the fit itself, both checked against lme4 (make_factor_eb.R):
 * - patient-level empirical-Bayes effects (conditional modes) with conditional SDs, as
 *   `ranef(m, condVar = TRUE)$patient`;
 * - a profile-likelihood 95% interval for the ICC (therapist share of the variance of a score at t = 0).
 *
 * With u spherical (b = Λu) the conditional modes solve M·u = ΛᵀZᵀ(y − Xβ̂) and the conditional
 * covariance of u is σ²M⁻¹ (M = ΛᵀZᵀZΛ + I). Per patient i of therapist j, M has the 2×2 block
 * D_i = LpᵀG_iLp + I and the column m_i = λ·Lpᵀ[n_i, Σt_i]ᵀ coupling it to the therapist; eliminating
 * the patients leaves the scalar S_j (growth-model.ts). Then u_j = e_j/S_j,
 * u_i = D_i⁻¹(r_i − m_i·u_j) and Var(u_i) = σ²(D_i⁻¹ + D_i⁻¹m_i·m_iᵀD_i⁻¹/S_j): the diagonal block of
 * σ²M⁻¹, as lme4's condVar gives it. All of it runs in the basis of the shifted t (t − c) and is
 * mapped back: intercept at t = 0 is b₀ − c·b₁.
 */
import type { GrowthStats } from './growth-stats.ts';
import { fullTheta, growthCriterion, growthThetaLayout, shiftTheta, type GrowthProblem } from './growth-model.ts';
import { minimizeBounded } from './optimize.ts';
import { CHISQ1_95 } from './profile.ts';
import { zeroin } from '../roots.ts';
import { sortedOrder } from './fit.ts';
import type { FitMethod, MixedFit } from './types.ts';

export interface PatientEffect {
  patient: string;
  therapist: string | null;
  /** Random intercept (at t = 0) and slope, in score units. */
  intercept: number;
  slope: number | null;
  cond_sd_intercept: number;
  cond_sd_slope: number | null;
  cond_cov: number | null;
}

/**
 * Patient EB at the fit's θ. `centred` must be the statistics `prob` was compressed from
 * (`centreGrowthStats` output), so that the patients' sums are in the same basis.
 */
export function growthPatientEffects(centred: GrowthStats, prob: GrowthProblem, fit: MixedFit): PatientEffect[] {
  const { q, p, structure } = prob;
  const shifted = shiftTheta(structure, fit.theta, prob.tShift);
  const [a, b, d, lam] = fullTheta(structure, shifted);
  const det = growthCriterion(prob, fit.method).detailsShifted(shifted);
  // β in the centred basis: the intercept absorbs the column shifts (fit.ts fixedEffects, inverted).
  const bc = fit.fixed.map((f) => f.estimate);
  bc[0] = fit.fixed[0].estimate - prob.shift[q - 1];
  for (let k = 1; k < p; k++) bc[0] += prob.shift[k] * fit.fixed[k].estimate;
  const resid = (w: Float64Array, o: number): number => {
    let s = w[o + q - 1];
    for (let k = 0; k < p; k++) s -= w[o + k] * bc[k];
    return s;
  };
  const uTh = new Float64Array(prob.therapistIds.length);
  if (structure.therapist) for (let j = 0; j < uTh.length; j++) uTh[j] = resid(det.e, j * q) / det.schur[j];
  const s2 = fit.sigma * fit.sigma;
  const c = prob.tShift;
  const out: PatientEffect[] = [];
  for (const i of sortedOrder(centred.patientIds)) {
    const n = centred.n[i];
    const st = centred.st[i];
    const stt = centred.stt[i];
    const j = centred.patientTherapist[i];
    const R0 = resid(centred.sw, i * q);
    const R1 = resid(centred.stw, i * q);
    const D00 = a * a * n + 2 * a * b * st + b * b * stt + 1;
    const D01 = d * (a * st + b * stt);
    const D11 = d * d * stt + 1;
    const dt = D00 * D11 - D01 * D01;
    const i00 = D11 / dt;
    const i01 = -D01 / dt;
    const i11 = D00 / dt;
    // m = λ·Lpᵀ[n, Σt], rhs = Lpᵀ[R0, R1] − m·u_j
    const m0 = lam * (a * n + b * st);
    const m1 = lam * d * st;
    const uj = structure.therapist ? uTh[j] : 0;
    const r0 = a * R0 + b * R1 - m0 * uj;
    const r1 = d * R1 - m1 * uj;
    const u0 = i00 * r0 + i01 * r1;
    const u1 = i01 * r0 + i11 * r1;
    // V = D⁻¹ + (D⁻¹m)(D⁻¹m)ᵀ/S_j
    const g0 = i00 * m0 + i01 * m1;
    const g1 = i01 * m0 + i11 * m1;
    const S = structure.therapist ? det.schur[j] : Infinity;
    const v00 = i00 + (g0 * g0) / S;
    const v01 = i01 + (g0 * g1) / S;
    const v11 = i11 + (g1 * g1) / S;
    // b = Lp·u, Var(b) = σ²·Lp·V·Lpᵀ with Lp = [[a, 0], [b, d]]
    const b0 = a * u0;
    const b1 = b * u0 + d * u1;
    const c00 = s2 * a * a * v00;
    const c01 = s2 * a * (b * v00 + d * v01);
    const c11 = s2 * (b * b * v00 + 2 * b * d * v01 + d * d * v11);
    // Back to raw t: [b0 − c·b1, b1]; T = [[1, −c], [0, 1]].
    const r00 = c00 - 2 * c * c01 + c * c * c11;
    const r01 = c01 - c * c11;
    out.push({
      patient: centred.patientIds[i],
      therapist: structure.therapist ? centred.therapistIds[j] : null,
      intercept: structure.slope ? b0 - c * b1 : b0,
      slope: structure.slope ? b1 : null,
      cond_sd_intercept: Math.sqrt(structure.slope ? r00 : c00),
      cond_sd_slope: structure.slope ? Math.sqrt(c11) : null,
      cond_cov: structure.slope ? r01 : null,
    });
  }
  return out;
}

/**
 * Profile-likelihood 95% interval of the growth model's ICC = λ²/(λ² + L11² + 1) (θ in lme4's raw-t
 * convention). For each ICC value ρ the criterion is minimised over the patient factor with λ tied
 * to ρ; the limits are where that profile exceeds the minimum by qchisq(0.95, 1). A limit is 0 when
 * the profile at ρ = 0 stays within the cut-off. Needs a therapist level.
 */
export function growthIccProfile(prob: GrowthProblem, method: FitMethod, fit: MixedFit): [number, number] | null {
  if (!prob.structure.therapist || fit.icc === null) return null;
  const crit = growthCriterion(prob, method);
  const np = growthThetaLayout(prob.structure).lower.length - 1;
  const lower = growthThetaLayout(prob.structure).lower.slice(0, np);
  const hat = fit.theta.slice(0, np);
  const rhoHat = fit.icc;
  const critHat = fit.criterion;
  let warm = hat;
  const profile = (rho: number): number => {
    const lamOf = (x: number[]): number => Math.sqrt((rho * (x[0] * x[0] + 1)) / (1 - rho));
    const g = (x: number[]): number => crit.evaluate([...x, lamOf(x)]);
    let best = minimizeBounded(g, warm, { lower });
    if (warm !== hat) {
      const alt = minimizeBounded(g, hat, { lower });
      if (alt.f < best.f) best = alt;
    }
    warm = best.x;
    return best.f - critHat - CHISQ1_95;
  };
  let lo = 0;
  if (rhoHat > 0 && profile(0) > 0) {
    warm = hat;
    let a = rhoHat / 2;
    while (profile(a) < 0 && a > 1e-12) a /= 2;
    warm = hat;
    lo = zeroin(profile, a, rhoHat, 1e-14).root;
  }
  warm = hat;
  let top = rhoHat + (1 - rhoHat) / 2;
  for (let k = 0; k < 50 && profile(top) < 0; k++) top = 1 - (1 - top) / 2;
  warm = hat;
  const hi = zeroin(profile, rhoHat, top, 1e-14).root;
  return [lo, hi];
}

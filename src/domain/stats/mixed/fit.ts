/**
 * Fitting: optimise the profiled criterion over θ, then read β̂, σ̂, SEs, variance components and
 * empirical-Bayes therapist effects off the factorisation at θ̂. Independent of where the
 * statistics came from (rows, CSV, SQL).
 */
import { cholInverse } from './linalg.ts';
import { centreGrowthStats, type GrowthStats } from './growth-stats.ts';
import {
  compressGrowth,
  fullTheta,
  growthCriterion,
  growthThetaLayout,
  shiftTheta,
  type GrowthProblem,
  type GrowthStructure,
} from './growth-model.ts';
import type { InterceptStats } from './intercept-stats.ts';
import { compressIntercept, interceptCriterion, type InterceptProblem } from './intercept-model.ts';
import { minimizeBounded, type MinimizeResult } from './optimize.ts';
import { profileInterval } from './profile.ts';
import { checkGrowthData, checkInterceptData } from './checks.ts';
import type { FitMethod, FitOptions, FixedEffect, InterceptFit, MixedFit, TherapistEffect, VarComp } from './types.ts';

/** Names used in the output for the grouping factors. */
export interface GroupNames {
  patient?: string;
  therapist?: string;
}

/** β̂ and vcov(β̂) in the original (uncentred) basis, from the Cholesky factor of Q at θ̂. */
function fixedEffects(L: Float64Array, q: number, sigma2: number, shift: Float64Array, columns: string[]) {
  const p = q - 1;
  // The last row of L holds L_xx⁻¹Q_xy; β' = L_xx⁻ᵀ of it.
  const bc = new Float64Array(p);
  for (let k = 0; k < p; k++) bc[k] = L[(q - 1) * q + k];
  for (let i = p - 1; i >= 0; i--) {
    let s = bc[i];
    for (let k = i + 1; k < p; k++) s -= L[k * q + i] * bc[k];
    bc[i] = s / L[i * q + i];
  }
  const inv = cholInverse(L, q, p);
  // Centring shifted column k by c_k: β₀ = β'₀ + c_y − Σ c_k β_k, i.e. β = Tβ' + const with T[0][k] = −c_k.
  const beta = Array.from(bc);
  beta[0] = bc[0] + shift[q - 1];
  for (let k = 1; k < p; k++) beta[0] -= shift[k] * bc[k];
  const T = (r: number, c: number): number => (r === c ? 1 : r === 0 && c > 0 ? -shift[c] : 0);
  const vcov: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let a = 0; a < p; a++) {
        const tra = T(r, a);
        if (tra === 0) continue;
        for (let b = 0; b < p; b++) {
          const tcb = T(c, b);
          if (tcb !== 0) s += tra * inv[a * p + b] * tcb;
        }
      }
      vcov[r][c] = sigma2 * s;
    }
  }
  const fixed: FixedEffect[] = columns.map((term, k) => ({ term, estimate: beta[k], se: Math.sqrt(vcov[k][k]) }));
  return { fixed, vcov, betaCentred: bc };
}

function sigma2Of(r2: number, nObs: number, p: number, method: FitMethod): number {
  return method === 'REML' ? r2 / (nObs - p) : r2 / nObs;
}

/** Ids sorted as R sorts factor levels of integer codes: numerically when all are numbers. */
export function sortedOrder(ids: string[]): number[] {
  const idx = ids.map((_, i) => i);
  const numeric = ids.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  return numeric
    ? idx.sort((a, b) => Number(ids[a]) - Number(ids[b]))
    : idx.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
}

/**
 * Optimises from lme4's default start. When that run does not converge (a saddle at a bound, seen
 * with the 1M-row course model, where the default start settles on L11 = 0 while the optimum has
 * L22 = 0), it restarts from a few spread-out points and keeps the lowest criterion: a converged
 * result is never replaced by a worse one.
 */
const RESTART_SCALES = [3, 0.5];

function optimise(evaluate: (t: number[]) => number, lower: number[], opts: FitOptions): MinimizeResult {
  const start = opts.start ?? lower.map((l) => (l === 0 ? 1 : 0));
  let best = minimizeBounded(evaluate, start, { lower, maxEvaluations: opts.maxEvaluations });
  if (best.converged || opts.start) return best;
  for (const scale of RESTART_SCALES) {
    const alt = lower.map((l) => (l === 0 ? scale : -scale / 2));
    const result = minimizeBounded(evaluate, alt, { lower, maxEvaluations: opts.maxEvaluations });
    const better = result.f < best.f - 1e-9 || (result.converged && !best.converged && result.f <= best.f + 1e-9);
    const spent = {
      iterations: best.iterations + result.iterations,
      evaluations: best.evaluations + result.evaluations,
    };
    best = better ? { ...result, ...spent } : { ...best, ...spent };
    if (best.converged) break;
  }
  return best;
}

function summarise(
  base: Omit<MixedFit, 'logLik' | 'df' | 'aic' | 'bic' | 'iterations' | 'converged' | 'convergence'>,
  opt: MinimizeResult | null,
): MixedFit {
  const df = base.fixed.length + base.theta.length + 1;
  const c = base.criterion;
  return {
    ...base,
    logLik: -c / 2,
    df,
    aic: c + 2 * df,
    bic: c + df * Math.log(base.nObs),
    iterations: opt?.iterations ?? 0,
    converged: opt?.converged ?? true,
    convergence: {
      optimizer: 'Nelder-Mead (bounds by projection) + projected Newton (finite differences)',
      evaluations: opt?.evaluations ?? 0,
      gradient: opt?.gradient ?? [],
      scaledGradientMax: opt?.scaledGradientMax ?? 0,
      hessianMinEigenvalue: opt?.hessianMinEigenvalue ?? null,
      activeBounds: opt?.activeBounds ?? [],
      message: opt?.message ?? 'not optimised',
    },
  };
}

/** Prepares (centres, compresses) random-intercept statistics once; reuse for several fits. */
export function prepareIntercept(stats: InterceptStats): InterceptProblem {
  checkInterceptData(stats);
  return compressIntercept(stats);
}

/** Random-intercept model y ~ X + (1 | group), REML by default. */
export function fitInterceptModel(
  stats: InterceptStats | InterceptProblem,
  options: FitOptions & { group?: string } = {},
): InterceptFit {
  const method = options.method ?? 'REML';
  const prob = 'centred' in stats ? stats : prepareIntercept(stats);
  const crit = interceptCriterion(prob, method);
  const opt = optimise((t) => crit.evaluate(t), [0], options);
  const res = interceptAt(prob, method, opt.x, options.group);
  if (!options.skipProfile) {
    const [lo, hi] = profileInterval((t) => crit.evaluate([t]), opt.x[0], opt.f);
    res.iccProfileCi95 = [(lo * lo) / (1 + lo * lo), Number.isFinite(hi) ? (hi * hi) / (1 + hi * hi) : 1];
  }
  return { ...summarise(res, opt), icc: res.icc };
}

/** All outputs of the random-intercept model at a given θ (no optimisation). */
export function interceptAt(prob: InterceptProblem, method: FitMethod, theta: number[], group = 'therapist') {
  const det = interceptCriterion(prob, method).details(theta);
  const { q, p, nObs } = prob;
  const sigma2 = sigma2Of(det.r2, nObs, p, method);
  const sigma = Math.sqrt(sigma2);
  const { fixed, vcov, betaCentred } = fixedEffects(det.qFactor, q, sigma2, prob.shift, prob.columns);
  const th = Math.abs(theta[0]);
  const lam = th * th;
  const effects: TherapistEffect[] = sortedOrder(prob.groupIds).map((j) => {
    const n = prob.n[j];
    let resid = prob.centred[j * q + q - 1];
    for (let k = 0; k < p; k++) resid -= prob.centred[j * q + k] * betaCentred[k];
    return {
      therapist: prob.groupIds[j],
      blup: ((n * lam) / (1 + n * lam)) * resid,
      cond_sd: sigma * Math.sqrt(lam / (1 + n * lam)),
      n,
    };
  });
  const varcomp: VarComp[] = [
    { group, var1: '(Intercept)', var2: null, vcov: sigma2 * lam, sdcor: sigma * th },
    { group: 'Residual', var1: null, var2: null, vcov: sigma2, sdcor: sigma },
  ];
  return {
    kind: 'intercept' as const,
    method,
    nObs,
    nGroups: { [group]: prob.groupIds.length },
    criterion: det.criterion,
    theta: [...theta],
    sigma,
    fixed,
    vcov,
    varcomp,
    covariances: { residual: sigma2, therapist: sigma2 * lam, patient: null },
    icc: lam / (1 + lam),
    iccProfileCi95: null as [number, number] | null,
    therapistEffects: effects,
  };
}

/** Prepares (checks, centres, compresses) growth statistics once; reuse for several fits. */
export function prepareGrowth(stats: GrowthStats, structure: GrowthStructure): GrowthProblem {
  checkGrowthData(stats, structure);
  return compressGrowth(centreGrowthStats(stats), structure);
}

/** Growth model y ~ X + (1 + t | patient) + (1 | therapist) (or its reduced structures). */
export function fitGrowthModel(
  stats: GrowthStats | GrowthProblem,
  options: FitOptions & { structure?: GrowthStructure; names?: GroupNames; slopeName?: string } = {},
): MixedFit {
  const method = options.method ?? 'REML';
  const prob =
    'cellPattern' in stats ? stats : prepareGrowth(stats, options.structure ?? { slope: true, therapist: true });
  const crit = growthCriterion(prob, method);
  const { lower } = growthThetaLayout(prob.structure);
  // Optimise in the basis of the shifted t (well scaled whatever t's origin), report lme4's θ.
  const start = options.start && shiftTheta(prob.structure, options.start, prob.tShift);
  const opt = optimise((t) => crit.evaluateShifted(t), lower, { ...options, start });
  const theta = shiftTheta(prob.structure, opt.x, -prob.tShift);
  return summarise(growthAtShifted(prob, method, opt.x, theta, options.names, options.slopeName), opt);
}

/** All outputs of the growth model at a given θ (no optimisation). */
export function growthAt(
  prob: GrowthProblem,
  method: FitMethod,
  theta: number[],
  names: GroupNames = {},
  slopeName = 't',
) {
  return growthAtShifted(prob, method, shiftTheta(prob.structure, theta, prob.tShift), theta, names, slopeName);
}

function growthAtShifted(
  prob: GrowthProblem,
  method: FitMethod,
  shifted: number[],
  theta: number[],
  names: GroupNames = {},
  slopeName = 't',
) {
  const det = growthCriterion(prob, method).detailsShifted(shifted);
  const { q, p, nObs, structure } = prob;
  const sigma2 = sigma2Of(det.r2, nObs, p, method);
  const sigma = Math.sqrt(sigma2);
  const { fixed, vcov, betaCentred } = fixedEffects(det.qFactor, q, sigma2, prob.shift, prob.columns);
  const [a, b, d, lam] = fullTheta(structure, theta);
  const J = prob.therapistIds.length;
  const effects: TherapistEffect[] = sortedOrder(prob.therapistIds).map((j) => {
    // ũ_j = e_j·[−β; 1] / S_j, and b_j = λ·ũ_j with conditional variance σ²λ²/S_j.
    let eg = det.e[j * q + q - 1];
    for (let k = 0; k < p; k++) eg -= det.e[j * q + k] * betaCentred[k];
    const S = det.schur[j];
    return {
      therapist: prob.therapistIds[j],
      blup: (lam * eg) / S,
      cond_sd: (sigma * Math.abs(lam)) / Math.sqrt(S),
      n: prob.thN[j],
    };
  });
  const pg = names.patient ?? 'patient';
  const tg = names.therapist ?? 'therapist';
  const v00 = sigma2 * a * a;
  const v11 = sigma2 * (b * b + d * d);
  const v01 = sigma2 * a * b;
  const varcomp: VarComp[] = [{ group: pg, var1: '(Intercept)', var2: null, vcov: v00, sdcor: Math.sqrt(v00) }];
  if (structure.slope) {
    const cor = v00 > 0 && v11 > 0 ? v01 / Math.sqrt(v00 * v11) : null;
    varcomp.push({ group: pg, var1: slopeName, var2: null, vcov: v11, sdcor: Math.sqrt(v11) });
    varcomp.push({ group: pg, var1: '(Intercept)', var2: slopeName, vcov: v01, sdcor: cor });
  }
  const vt = sigma2 * lam * lam;
  if (structure.therapist) varcomp.push({ group: tg, var1: '(Intercept)', var2: null, vcov: vt, sdcor: Math.sqrt(vt) });
  varcomp.push({ group: 'Residual', var1: null, var2: null, vcov: sigma2, sdcor: sigma });
  const nGroups: Record<string, number> = { [pg]: prob.nPatients };
  if (structure.therapist) nGroups[tg] = J;
  return {
    kind: 'growth' as const,
    method,
    nObs,
    nGroups,
    criterion: det.criterion,
    theta: [...theta],
    sigma,
    fixed,
    vcov,
    varcomp,
    covariances: {
      residual: sigma2,
      therapist: vt,
      patient: [
        [v00, v01],
        [v01, v11],
      ] as [[number, number], [number, number]],
    },
    // Without a therapist level there is no therapist share of variance: null, not 0.
    icc: structure.therapist ? vt / (vt + v00 + sigma2) : null,
    iccProfileCi95: null as [number, number] | null,
    therapistEffects: structure.therapist ? effects : [],
  };
}

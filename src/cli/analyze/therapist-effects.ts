/**
 * `spiegel analyze therapist-effects`: fit (or evaluate at fixed θ) an lme4-style formula on a CSV
 * and report the fields of reference/mixed/reference.json. The fitting itself knows nothing of files.
 */
import { SpiegelError } from '../../domain/errors.ts';
import { parseFormula, type ModelSpec } from '../../domain/stats/mixed/formula.ts';
import {
  fitGrowthModel,
  fitInterceptModel,
  growthAt,
  interceptAt,
  prepareGrowth,
  prepareIntercept,
} from '../../domain/stats/mixed/fit.ts';
import { growthCriterion, type GrowthStructure } from '../../domain/stats/mixed/growth-model.ts';
import { interceptCriterion } from '../../domain/stats/mixed/intercept-model.ts';
import type { FitMethod, MixedFit } from '../../domain/stats/mixed/types.ts';
import { centreGrowthStats, type GrowthStats } from '../../domain/stats/mixed/growth-stats.ts';
import { growthIccProfile, growthPatientEffects } from '../../domain/stats/mixed/growth-extras.ts';
import { loadModelData } from './load.ts';

export interface TherapistEffectsRequest {
  input: string;
  formula: string;
  method: FitMethod;
  criterionAt: number[] | null;
  /** Columns read as factors even when numeric (text columns always are). */
  factors?: string[];
  /** Reference levels of factors, as R's relevel (default: the first level in sorted order). */
  reference?: Record<string, string>;
  /** Growth models: add patient-level EB with conditional SDs. */
  patientEb?: boolean;
  /** Growth models with a therapist level: profile-likelihood interval of the ICC. */
  iccProfile?: boolean;
}

/** Integer-looking ids print as numbers, as in reference.json. */
const idOut = (id: string): string | number => (/^-?(0|[1-9][0-9]{0,14})$/.test(id) ? Number(id) : id);

const criterionKey = (m: FitMethod): string => (m === 'REML' ? 'reml_criterion' : 'deviance');

function growthStructure(spec: ModelSpec): GrowthStructure {
  if (spec.random.kind !== 'growth') throw new Error('not a growth model');
  return { slope: spec.random.slope !== null, therapist: spec.random.therapist !== null };
}

export function fitToJson(spec: ModelSpec, fit: MixedFit, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    formula: spec.formula,
    method: fit.method,
    n_obs: fit.nObs,
    n_groups: fit.nGroups,
    ...extra,
    [criterionKey(fit.method)]: fit.criterion,
    theta: fit.theta,
    sigma: fit.sigma,
    fixed: fit.fixed,
    varcomp: fit.varcomp,
    icc: fit.icc,
    icc_profile_ci95: fit.iccProfileCi95,
    therapist_eb: fit.therapistEffects.map((e) => ({
      therapist: idOut(e.therapist),
      blup: e.blup,
      cond_sd: e.cond_sd,
      n: e.n,
    })),
    logLik: fit.logLik,
    df: fit.df,
    AIC: fit.aic,
    BIC: fit.bic,
    iterations: fit.iterations,
    converged: fit.converged,
    convergence: fit.convergence,
  };
}

export async function therapistEffects(req: TherapistEffectsRequest): Promise<Record<string, unknown>> {
  const started = performance.now();
  const data = await loadModelData(req.input, parseFormula(req.formula), {
    factors: req.factors,
    reference: req.reference,
  });
  const spec = data.spec;
  const rows = { rows_read: data.rowsRead, rows_dropped: data.rowsDropped };
  const group = spec.groupVariables;
  const names = { patient: group[0], therapist: group[1] };
  const slopeName = spec.random.kind === 'growth' ? (spec.random.slope ?? undefined) : undefined;
  const seconds = (): number => (performance.now() - started) / 1000;

  if (req.criterionAt) {
    const theta = req.criterionAt;
    let criterion: number;
    let sigma: number;
    if (data.kind === 'intercept') {
      const prob = prepareIntercept(data.stats);
      criterion = interceptCriterion(prob, req.method).evaluate(theta);
      sigma = interceptAt(prob, req.method, theta, group[0]).sigma;
    } else {
      const prob = prepareGrowth(data.stats, growthStructure(spec));
      criterion = growthCriterion(prob, req.method).evaluate(theta);
      sigma = growthAt(prob, req.method, theta, names, slopeName).sigma;
    }
    return {
      formula: spec.formula,
      method: req.method,
      n_obs: data.stats.nObs,
      ...rows,
      theta,
      [criterionKey(req.method)]: criterion,
      sigma,
      seconds: seconds(),
    };
  }

  if (data.kind === 'intercept') {
    const fit = fitInterceptModel(data.stats, { method: req.method, group: group[0] });
    return { ...fitToJson(spec, fit, rows), seconds: seconds() };
  }
  const prob = prepareGrowth(data.stats, growthStructure(spec));
  const fit = fitGrowthModel(prob, { method: req.method, names, slopeName });
  if (req.iccProfile) fit.iccProfileCi95 = growthIccProfile(prob, req.method, fit);
  const out = fitToJson(spec, fit, rows);
  if (req.patientEb)
    out.patient_eb = growthPatientEffects(centreGrowthStats(data.stats as GrowthStats), prob, fit).map((e) => ({
      ...e,
      patient: idOut(e.patient),
      therapist: e.therapist === null ? null : idOut(e.therapist),
    }));
  return { ...out, seconds: seconds() };
}

/** Human-readable summary for the terminal (without --json). */
export function formatText(out: Record<string, unknown>): string {
  const num = (v: unknown, d = 6): string =>
    typeof v === 'number' ? (Number.isFinite(v) ? v.toPrecision(d) : String(v)) : 'NA';
  const crit = out.reml_criterion ?? out.deviance;
  const lines = [`${out.formula}  (${out.method}, ${out.n_obs} observations)`];
  lines.push(
    `criterion ${out.reml_criterion !== undefined ? 'REML' : 'deviance'}: ${num(crit, 12)}   theta: ${(out.theta as number[]).map((t) => num(t)).join(', ')}`,
  );
  if (!out.fixed) return [...lines, `sigma: ${num(out.sigma)}`].join('\n');
  lines.push(
    '',
    'Fixed effects:',
    ...(out.fixed as { term: string; estimate: number; se: number }[]).map(
      (f, _k, all) =>
        `  ${f.term.padEnd(Math.max(24, ...all.map((g) => g.term.length)))} ${num(f.estimate).padStart(12)}  SE ${num(f.se)}`,
    ),
  );
  lines.push('', 'Variance components:');
  for (const v of out.varcomp as {
    group: string;
    var1: string | null;
    var2: string | null;
    vcov: number;
    sdcor: number | null;
  }[]) {
    const label = `${v.group} ${v.var1 ?? ''}${v.var2 ? ' × ' + v.var2 : ''}`.trim();
    lines.push(`  ${label.padEnd(32)} ${v.var2 ? 'cor' : 'SD '} ${num(v.sdcor)}`);
  }
  const ci = out.icc_profile_ci95 as [number, number] | null;
  lines.push('', `ICC: ${num(out.icc, 4)}${ci ? `  (profile 95% CI ${num(ci[0], 4)} – ${num(ci[1], 4)})` : ''}`);
  lines.push(`logLik ${num(out.logLik, 10)}  AIC ${num(out.AIC, 10)}  BIC ${num(out.BIC, 10)}`);
  lines.push(`converged: ${out.converged}  iterations: ${out.iterations}  seconds: ${num(out.seconds, 3)}`);
  lines.push(`${(out.therapist_eb as unknown[]).length} therapist effects: use --json to see them.`);
  return lines.join('\n');
}

/** `--reference treatment=wait,sex=m` → { treatment: 'wait', sex: 'm' }. */
export function parseReference(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw new SpiegelError('USAGE', `--reference expects column=level pairs separated by commas, got '${s}'`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function parseTheta(s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const theta = parts.map(Number);
  if (parts.some((p) => p === '') || theta.some((t) => !Number.isFinite(t))) {
    throw new SpiegelError('USAGE', `--criterion-at expects comma-separated numbers, got '${s}'`);
  }
  return theta;
}

import { predictExpectedCourse, type ExpectedCourseModel } from '../stats/mixed/index.ts';
import type { MixedFit } from '../stats/mixed/types.ts';

/**
 * The expected course of treatment for one outcome scale, fitted on the organisation's own completed
 * episodes with the mixed-model engine (domain/stats/mixed, `fitExpectedCourse`):
 *
 *   score ~ f(s) * intake + (1 + f(s) | client) + (1 | therapist),  f(s) = log(s + 1).
 *
 * The band is where a new client's score at session s falls with 90% probability, given their intake:
 * client and therapist random effects, residual, and the uncertainty of the fixed effects
 * (`predictExpectedCourse`). Stored as JSON in analysis_runs.result; only what prediction needs is kept.
 */
export interface ExpectedCurve {
  method: 'mixed-model';
  instrumentId: string;
  scaleId: string;
  beta: [number, number, number, number];
  covariances: MixedFit['covariances'];
  vcov: number[][];
  coverage: number;
  fit: {
    criterion: number;
    converged: boolean;
    iterations: number;
    /** null when the course model has no therapist level. */
    icc: number | null;
    sigma: number;
    varcomp: MixedFit['varcomp'];
  };
  fittedAt: string;
  dataWindow: { from: string; to: string; episodes: number; measurements: number; therapists: number };
}

/** Minimum data for a local curve (below it the rule-based fallback applies). */
export const MIN_EPISODES_FOR_CURVE = 100;
export const MIN_THERAPISTS_FOR_CURVE = 5;
export const RULE_BASED_FROM_SESSION = 3;
export const BAND_COVERAGE = 0.9;

export const timeTransform = (session: number): number => Math.log(session + 1);

export interface ExpectedPoint {
  session: number;
  mean: number;
  lower: number;
  upper: number;
  method: string;
}

export function curveFromModel(
  model: ExpectedCourseModel,
  meta: Pick<ExpectedCurve, 'instrumentId' | 'scaleId' | 'fittedAt' | 'dataWindow'>,
): ExpectedCurve {
  const { fit } = model;
  return {
    method: 'mixed-model',
    ...meta,
    beta: model.beta,
    covariances: fit.covariances,
    vcov: fit.vcov,
    coverage: BAND_COVERAGE,
    fit: {
      criterion: fit.criterion,
      converged: fit.converged,
      iterations: fit.iterations,
      icc: fit.icc,
      sigma: fit.sigma,
      varcomp: fit.varcomp,
    },
  };
}

export function expectedAt(curve: ExpectedCurve, intake: number, session: number): ExpectedPoint {
  const model = {
    beta: curve.beta,
    time: timeTransform,
    fit: { covariances: curve.covariances, vcov: curve.vcov, therapistEffects: [] } as unknown as MixedFit,
  };
  const [point] = predictExpectedCourse(model, intake, [session], { coverage: curve.coverage });
  return { session, mean: point.mean, lower: point.lower, upper: point.upper, method: curve.method };
}

/**
 * Below the minimum of local data there is no curve. The documented rule-based fallback: from session
 * 3 on, a client whose score has not improved at all since intake counts as not on track.
 */
export function ruleBasedExpectation(intake: number, session: number, higherIsWorse: boolean): ExpectedPoint | null {
  if (session < RULE_BASED_FROM_SESSION) return null;
  return higherIsWorse
    ? { session, mean: intake, lower: Number.NEGATIVE_INFINITY, upper: intake - 0.5, method: 'rule-based' }
    : { session, mean: intake, lower: intake + 0.5, upper: Number.POSITIVE_INFINITY, method: 'rule-based' };
}

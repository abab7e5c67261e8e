/**
 * Expected treatment response (DESIGN.md): the growth model
 *   score ~ f(session) * intake + (1 + f(session) | client) + (1 | therapist),  f = log(session + 1) by default,
 * fitted with the same engine, and the expected mean course for a given intake with a tolerance band
 * from the variance components. The band is where a new client's observed score falls with the given
 * probability: Var = [1 t]·Σ_client·[1 t]ᵀ + σ²_therapist + σ² (+ the fixed-effect uncertainty).
 */
import { SpiegelError } from '../../errors.ts';
import { qnorm } from '../distributions.ts';
import { fitGrowthModel, prepareGrowth } from './fit.ts';
import { GrowthStatsBuilder } from './growth-stats.ts';
import type { FitMethod, MixedFit } from './types.ts';

export interface CourseObservation {
  therapist: string | number;
  patient: string | number;
  session: number;
  intake: number;
  score: number;
}

export interface ExpectedCourseOptions {
  /** Time scale f(session); default log(session + 1). */
  time?: (session: number) => number;
  method?: FitMethod;
  /** Include the therapist random intercept (default true). */
  therapistLevel?: boolean;
}

export interface ExpectedCourseModel {
  fit: MixedFit;
  time: (session: number) => number;
  /** β for (Intercept), t, intake, t:intake. */
  beta: [number, number, number, number];
}

export const COURSE_COLUMNS = ['(Intercept)', 't', 'intake', 't:intake'];

/** Fits the ETR model from session observations (any iterable; nothing is kept per row). */
export function fitExpectedCourse(
  obs: Iterable<CourseObservation>,
  options: ExpectedCourseOptions = {},
): ExpectedCourseModel {
  const time = options.time ?? ((s: number) => Math.log(s + 1));
  const b = new GrowthStatsBuilder(COURSE_COLUMNS, 'score');
  const x = new Float64Array(4);
  for (const o of obs) {
    const t = time(o.session);
    x[0] = 1;
    x[1] = t;
    x[2] = o.intake;
    x[3] = t * o.intake;
    b.add(o.therapist, o.patient, t, x, o.score);
  }
  const structure = { slope: true, therapist: options.therapistLevel ?? true };
  const fit = fitGrowthModel(prepareGrowth(b.finish(), structure), {
    method: options.method,
    slopeName: 't',
    names: { patient: 'patient', therapist: 'therapist' },
  });
  const beta = fit.fixed.map((f) => f.estimate) as [number, number, number, number];
  return { fit, time, beta };
}

export interface CoursePoint {
  session: number;
  t: number;
  mean: number;
  /** SD of a new client's observed score at this session. */
  sd: number;
  lower: number;
  upper: number;
}

export interface CourseBandOptions {
  /** Probability that the band covers a new client's score (default 0.9). */
  coverage?: number;
  /** Add the uncertainty of β̂ (default true). */
  fixedUncertainty?: boolean;
  /** Condition on a known therapist: add their EB effect and use its conditional variance. */
  therapist?: string;
}

/** Expected mean course for a client with this intake, with a tolerance band. */
export function predictExpectedCourse(
  model: ExpectedCourseModel,
  intake: number,
  sessions: number[],
  options: CourseBandOptions = {},
): CoursePoint[] {
  const coverage = options.coverage ?? 0.9;
  if (!(coverage > 0 && coverage < 1))
    throw new SpiegelError('STATS_INPUT_INVALID', `coverage must lie strictly between 0 and 1, got ${coverage}`, {
      coverage,
    });
  const z = qnorm(0.5 + coverage / 2);
  const { fit, beta, time } = model;
  const cov = fit.covariances;
  const P = cov.patient ?? [
    [0, 0],
    [0, 0],
  ];
  let therapistShift = 0;
  let therapistVar = cov.therapist;
  if (options.therapist !== undefined) {
    const e = fit.therapistEffects.find((t) => t.therapist === String(options.therapist));
    if (!e)
      throw new SpiegelError('NOT_FOUND', `therapist '${options.therapist}' is not in the fitted data`, {
        therapist: options.therapist,
      });
    therapistShift = e.blup;
    therapistVar = e.cond_sd * e.cond_sd;
  }
  return sessions.map((session) => {
    const t = time(session);
    const xr = [1, t, intake, t * intake];
    let mean = therapistShift;
    for (let k = 0; k < 4; k++) mean += xr[k] * beta[k];
    let v = P[0][0] + 2 * t * P[0][1] + t * t * P[1][1] + therapistVar + cov.residual;
    if (options.fixedUncertainty ?? true)
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) v += xr[r] * fit.vcov[r][c] * xr[c];
    const sd = Math.sqrt(v);
    return { session, t, mean, sd, lower: mean - z * sd, upper: mean + z * sd };
  });
}

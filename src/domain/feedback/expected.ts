/**
 * The expected course of treatment for one outcome scale, fitted on the organisation's own completed
 * episodes with the mixed-model engine (see src/server/feedback/expected-course.ts):
 *
 *   score = b0 + b1·f(s) + b2·c + b3·f(s)·c + (1 + f(s) | client) + (1 | therapist),
 *   f(s) = log(s + 1), c = intake − intakeCentre.
 *
 * The band around the fixed-effect mean is ±1.645·SD of a new client's score at session s given their
 * intake (client and therapist random effects plus residual): a 90% tolerance band, so about 5% of
 * on-course clients fall above it at any one session.
 */
export interface ExpectedCurve {
  method: 'mixed-model' | 'rule-based';
  instrumentId: string;
  scaleId: string;
  intakeCentre: number;
  /** b0, b1 (f), b2 (intake), b3 (f × intake). */
  fixed: [number, number, number, number];
  /** Random-effect covariance of (intercept, slope) for clients, therapist variance, residual variance. */
  clientCov: [[number, number], [number, number]];
  therapistVar: number;
  residualVar: number;
  z: number;
  fittedAt: string;
  dataWindow: { from: string; to: string; episodes: number; measurements: number; therapists: number };
}

export const MIN_EPISODES_FOR_CURVE = 100;
export const MIN_THERAPISTS_FOR_CURVE = 5;
export const RULE_BASED_FROM_SESSION = 3;

export function timeTransform(session: number): number {
  return Math.log(session + 1);
}

export interface ExpectedPoint {
  session: number;
  mean: number;
  lower: number;
  upper: number;
  method: string;
}

export function expectedAt(curve: ExpectedCurve, intake: number, session: number): ExpectedPoint {
  const f = timeTransform(session);
  const c = intake - curve.intakeCentre;
  const [b0, b1, b2, b3] = curve.fixed;
  const mean = b0 + b1 * f + b2 * c + b3 * f * c;
  const [[v00, v01], [, v11]] = curve.clientCov;
  const variance = v00 + 2 * f * v01 + f * f * v11 + curve.therapistVar + curve.residualVar;
  const half = curve.z * Math.sqrt(Math.max(variance, 0));
  return { session, mean, lower: mean - half, upper: mean + half, method: curve.method };
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

/** Public result types of the mixed-model engine (shared by both model families). */

/** REML (lme4's default, criterion = REMLcrit) or maximum likelihood (criterion = deviance). */
export type FitMethod = 'REML' | 'ML';

export interface FixedEffect {
  term: string;
  estimate: number;
  se: number;
}

/** One row of lme4's `as.data.frame(VarCorr(m))`: a variance (var2 null) or a covariance. */
export interface VarComp {
  group: string;
  var1: string | null;
  var2: string | null;
  /** Variance or covariance. */
  vcov: number;
  /** SD for a variance, correlation for a covariance (null when a SD is zero). */
  sdcor: number | null;
}

/** Empirical-Bayes (conditional mode) therapist effect, in score units. */
export interface TherapistEffect {
  therapist: string;
  blup: number;
  cond_sd: number;
  /** Observations (rows) of this therapist. */
  n: number;
}

export interface ConvergenceInfo {
  optimizer: string;
  evaluations: number;
  /** Finite-difference gradient of the criterion at θ̂ (free coordinates; 0 where a bound is active). */
  gradient: number[];
  /** max |H⁻¹g| over the free coordinates: the remaining Newton step in θ units. */
  scaledGradientMax: number;
  /** Smallest eigenvalue of the finite-difference Hessian on the free coordinates (null if none free). */
  hessianMinEigenvalue: number | null;
  /** Indices of θ held at their lower bound 0 (a variance component estimated as zero). */
  activeBounds: number[];
  message: string;
}

/** Variance components in score units, for prediction. */
export interface Covariances {
  residual: number;
  therapist: number;
  /** Patient (intercept, slope) covariance; null for the random-intercept model. */
  patient: [[number, number], [number, number]] | null;
}

export interface MixedFit {
  kind: 'intercept' | 'growth';
  method: FitMethod;
  nObs: number;
  nGroups: Record<string, number>;
  /** REML criterion (−2 REML log-likelihood) or ML deviance (−2 log-likelihood). */
  criterion: number;
  theta: number[];
  sigma: number;
  fixed: FixedEffect[];
  /** Covariance matrix of the fixed effects (row-major, p×p). */
  vcov: number[][];
  varcomp: VarComp[];
  covariances: Covariances;
  /** Therapist share of variance (growth model: of a score at time 0); null without a therapist level. */
  icc: number | null;
  /** Profile-likelihood 95% interval of the ICC (random-intercept model only). */
  iccProfileCi95: [number, number] | null;
  therapistEffects: TherapistEffect[];
  logLik: number;
  /** Parameters counted by AIC/BIC: fixed effects + θ + σ (as lme4). */
  df: number;
  aic: number;
  bic: number;
  iterations: number;
  converged: boolean;
  convergence: ConvergenceInfo;
}

/** The random-intercept model always has a therapist level, so its ICC is a number. */
export type InterceptFit = MixedFit & { icc: number };

export interface FitOptions {
  method?: FitMethod;
  /** Starting θ (lme4's default: 1 on the diagonal, 0 elsewhere). */
  start?: number[];
  /** Skip the profile-likelihood ICC interval (saves ~40 criterion evaluations). */
  skipProfile?: boolean;
  maxEvaluations?: number;
}

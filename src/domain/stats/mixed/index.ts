/**
 * Linear mixed models from sufficient statistics (REML/ML, checked against lme4). See
 * docs/mixed-models.md. Typical use:
 *   const spec = parseFormula('post ~ intake_c + (1 | therapist)');
 *   const stats = buildInterceptStats(rows, spec.columns, spec.response);   // or from SQL
 *   const fit = fitInterceptModel(stats);
 */
export type {
  FitMethod,
  FitOptions,
  FixedEffect,
  VarComp,
  TherapistEffect,
  ConvergenceInfo,
  Covariances,
  MixedFit,
  InterceptFit,
} from './types.ts';
export { parseFormula, designFiller, type ModelSpec, type RandomSpec } from './formula.ts';
export {
  InterceptStatsBuilder,
  buildInterceptStats,
  interceptStatsFromGroups,
  type InterceptStats,
  type InterceptRow,
} from './intercept-stats.ts';
export {
  GrowthStatsBuilder,
  buildGrowthStats,
  centreGrowthStats,
  growthStatsFromSums,
  type GrowthStats,
  type GrowthRow,
  type PatientSums,
} from './growth-stats.ts';
export { compressIntercept, interceptCriterion, type InterceptProblem } from './intercept-model.ts';
export {
  compressGrowth,
  growthCriterion,
  growthThetaLayout,
  type GrowthProblem,
  type GrowthStructure,
} from './growth-model.ts';
export {
  fitInterceptModel,
  fitGrowthModel,
  prepareIntercept,
  prepareGrowth,
  interceptAt,
  growthAt,
  type GroupNames,
} from './fit.ts';
export { minimizeBounded, type MinimizeOptions, type MinimizeResult } from './optimize.ts';
export { profileInterval, CHISQ1_95 } from './profile.ts';
export {
  fitExpectedCourse,
  predictExpectedCourse,
  COURSE_COLUMNS,
  type CourseObservation,
  type ExpectedCourseOptions,
  type ExpectedCourseModel,
  type CoursePoint,
  type CourseBandOptions,
} from './course.ts';

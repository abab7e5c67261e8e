/**
 * Public API of the statistics core. Import from here, not from the files behind it.
 * (The mixed-model engine lives in ./mixed and is re-exported from here as well once it lands.)
 */
export * from './distributions.ts';
export { pnt, ncpInterval } from './noncentralT.ts';
export {
  mean,
  variance,
  sd,
  sum,
  ranks,
  summarize,
  powerOfTwoScale,
  rescaled,
  type GroupSummary,
} from './descriptive.ts';
export { part, isStatError, type Part, type StatError } from './parts.ts';
export * from './ttest.ts';
export * from './effectsize.ts';
export * from './anova.ts';
export * from './contingency.ts';
export * from './correlation.ts';
export * from './reliability.ts';
export * from './reliableChange.ts';
export * from './norms.ts';
export * from './apa.ts';
export { computeCase, computeCases, stripOutputs, CASE_INPUTS, type CaseKind, type FailedCase } from './cases.ts';
export * from './posthoc.ts';

/**
 * Reliable change and clinical significance after Jacobson & Truax (1991):
 * S_diff = SD·√2·√(1 − r), RC = (post − pre)/S_diff, |RC| > 1.96 is reliable; the cut-off is
 * c = (SD₀·M₁ + SD₁·M₀)/(SD₀ + SD₁), or a/b when only one norm group is known.
 */
import { degenerate, finite, inRange, invalid, positive } from './guards.ts';

/** The 1.96 of Jacobson & Truax: two-sided 5% under the normal. */
export const RC_CRITERION = 1.96;

export interface ReliableChangeInput {
  pre: number;
  post: number;
  /** SD of the measure (pretreatment or norm SD, as the instrument documents). */
  sd: number;
  /** Test–retest or internal-consistency reliability, in [0, 1). */
  reliability: number;
}

export interface ReliableChangeResult {
  change: number;
  sDiff: number;
  rc: number;
  /** Smallest raw change that counts as reliable: criterion·S_diff. */
  thresholdRawChange: number;
  /** |RC| > criterion. */
  reliable: boolean;
}

/** Jacobson & Truax's standard error of the difference: S_diff = SD·√2·√(1 − r). */
export function standardErrorOfDifference(sd: number, reliability: number): number {
  return sd * Math.SQRT2 * Math.sqrt(1 - reliability);
}

export function reliableChange(input: ReliableChangeInput, criterion = RC_CRITERION): ReliableChangeResult {
  const pre = finite(input?.pre, 'pre');
  const post = finite(input?.post, 'post');
  const sd = positive(input?.sd, 'sd');
  const r = inRange(input?.reliability, 'reliability', 0, 1);
  const z = positive(criterion, 'criterion');
  const sDiff = standardErrorOfDifference(sd, r);
  if (!(sDiff > 0)) degenerate('The standard error of the difference is 0, so reliable change is undefined.');
  const rc = (post - pre) / sDiff;
  return { change: post - pre, sDiff, rc, thresholdRawChange: z * sDiff, reliable: Math.abs(rc) > z };
}

export interface NormGroup {
  mean: number;
  sd: number;
}

export type CutoffCriterion = 'a' | 'b' | 'c';

export interface CutoffInput {
  /** Clinical (dysfunctional) population: M₀, SD₀. */
  dysfunctional?: NormGroup;
  /** Functional (non-clinical) population: M₁, SD₁. */
  functional?: NormGroup;
  /** Direction of the scale: true for symptom measures where a higher score is worse. */
  higherIsWorse: boolean;
  /** Force a criterion; by default c when both groups are known, otherwise a or b. */
  criterion?: CutoffCriterion;
}

export interface Cutoff {
  value: number;
  criterion: CutoffCriterion;
}

function norm(g: NormGroup | undefined, name: string): NormGroup | undefined {
  return g === undefined ? undefined : { mean: finite(g.mean, `${name}.mean`), sd: positive(g.sd, `${name}.sd`) };
}

/**
 * Jacobson–Truax cut-off. a: 2 SD beyond the dysfunctional mean, toward health.
 * b: 2 SD from the functional mean, toward dysfunction. c: the point equally likely under both.
 */
export function clinicalCutoff(input: CutoffInput): Cutoff {
  const d = norm(input.dysfunctional, 'dysfunctional');
  const f = norm(input.functional, 'functional');
  const worse = input.higherIsWorse ? 1 : -1;
  const criterion = input.criterion ?? (d && f ? 'c' : d ? 'a' : 'b');
  if (criterion === 'a') {
    if (!d) invalid('Cut-off a needs the dysfunctional norm group.');
    return { value: d.mean - worse * 2 * d.sd, criterion };
  }
  if (criterion === 'b') {
    if (!f) invalid('Cut-off b needs the functional norm group.');
    return { value: f.mean + worse * 2 * f.sd, criterion };
  }
  if (!d || !f) invalid('Cut-off c needs both the dysfunctional and the functional norm group.');
  return { value: (d.sd * f.mean + f.sd * d.mean) / (d.sd + f.sd), criterion };
}

export type ChangeClass = 'recovered' | 'improved' | 'unchanged' | 'deteriorated';

export interface ChangeClassification extends ReliableChangeResult {
  class: ChangeClass;
  /** Pre and post on the functional side of the cut-off; null without a cut-off. */
  preFunctional: boolean | null;
  postFunctional: boolean | null;
}

/**
 * The one rule for which side of a cut-off a score is on: functional only past the cut-off, so a
 * score exactly at the cut-off is still in the clinical (dysfunctional) range, whatever the direction.
 * Both `classifyChange` and the feedback module (instruments/reliable-change.ts) use it.
 */
export function isFunctional(score: number, cutoff: number, higherIsWorse: boolean): boolean {
  return higherIsWorse ? score < cutoff : score > cutoff;
}

/**
 * Jacobson–Truax classes. Deteriorated: reliable change toward worse. Recovered: reliable
 * improvement that also crosses the cut-off from the dysfunctional into the functional range.
 * Improved: any other reliable improvement. Unchanged: no reliable change.
 */
export function classifyChange(
  input: ReliableChangeInput & { higherIsWorse: boolean; cutoff?: number },
  criterion = RC_CRITERION,
): ChangeClassification {
  const rc = reliableChange(input, criterion);
  const better = input.higherIsWorse ? rc.change < 0 : rc.change > 0;
  const cut = input.cutoff === undefined ? undefined : finite(input.cutoff, 'cutoff');
  const functional = (x: number): boolean | null =>
    cut === undefined ? null : isFunctional(x, cut, input.higherIsWorse);
  const preFunctional = functional(input.pre);
  const postFunctional = functional(input.post);
  let cls: ChangeClass = 'unchanged';
  if (rc.reliable && !better) cls = 'deteriorated';
  else if (rc.reliable) cls = preFunctional === false && postFunctional === true ? 'recovered' : 'improved';
  return { ...rc, class: cls, preFunctional, postFunctional };
}

import { clinicalCutoff, isFunctional, RC_CRITERION, standardErrorOfDifference } from '../stats/reliableChange.ts';
import type { Direction, NormGroup, Reliability, ScaleSpec, Sourced } from './scoring-spec.ts';

/**
 * Jacobson & Truax (1991) parameters of one scale, fixed per instrument, so they are computed once at
 * compile time and shared (frozen) by every score. domain/feedback applies them to pre/post pairs.
 */
export interface ReliableChangeParameters {
  reliability: Reliability | null;
  /** The SD used for S_diff: the declared one, else the clinical norm group's SD. */
  sd: (Sourced & { basis: 'declared' | 'clinical-norm' }) | null;
  /** S_diff = SD·√2·√(1−r). */
  sDiff: number | null;
  /** 1.96·S_diff: the smallest raw change that counts as reliable (|RC| > 1.96). */
  minimumReliableChange: number | null;
  /** A reliable-change threshold published for the instrument (e.g. IAPT), when there is one. */
  publishedReliableChange: Sourced | null;
  cutoff: { value: number; method: CutoffMethod; source: string } | null;
  clinicalNorm: NormGroup | null;
  nonClinicalNorm: NormGroup | null;
  direction: Direction;
}

export type CutoffMethod = 'jacobson-truax-c' | 'published' | 'jacobson-truax-a' | 'jacobson-truax-b';

/** The 1.96 of Jacobson & Truax (one definition, in domain/stats). */
export const Z_RELIABLE = RC_CRITERION;

export function reliableChangeParameters(scale: ScaleSpec): ReliableChangeParameters {
  const sd = scale.sd
    ? { ...scale.sd, basis: 'declared' as const }
    : scale.clinical
      ? { value: scale.clinical.sd, source: scale.clinical.source, basis: 'clinical-norm' as const }
      : null;
  const r = scale.reliability?.value;
  const sDiff = sd && r !== undefined ? standardErrorOfDifference(sd.value, r) : null;
  return deepFreeze({
    reliability: scale.reliability,
    sd,
    sDiff,
    minimumReliableChange: sDiff === null ? null : Z_RELIABLE * sDiff,
    publishedReliableChange: scale.reliableChange,
    cutoff: cutoff(scale),
    clinicalNorm: scale.clinical,
    nonClinicalNorm: scale.nonClinical,
    direction: scale.direction,
  });
}

/**
 * Cut-off choice: c when both norm groups exist (DESIGN.md), else the published cut-off, else a or b from
 * the one norm group there is. a and b sit two SDs from the group mean, towards the other group.
 */
function cutoff(scale: ScaleSpec): ReliableChangeParameters['cutoff'] {
  const m1 = scale.clinical;
  const m0 = scale.nonClinical;
  const higherIsWorse = scale.direction !== 'higher-is-better';
  if (m1 && m0) {
    const { value } = clinicalCutoff({ dysfunctional: m1, functional: m0, higherIsWorse, criterion: 'c' });
    return { value, method: 'jacobson-truax-c', source: `${m1.source}; ${m0.source}` };
  }
  if (scale.cutoff) return { value: scale.cutoff.value, method: 'published', source: scale.cutoff.source };
  if (m1) return { value: clinicalCutoff({ dysfunctional: m1, higherIsWorse, criterion: 'a' }).value, method: 'jacobson-truax-a', source: m1.source };
  if (m0) return { value: clinicalCutoff({ functional: m0, higherIsWorse, criterion: 'b' }).value, method: 'jacobson-truax-b', source: m0.source };
  return null;
}

/** Clinical range: at or above the cut-off when higher is worse, below it when higher is better. */
export function inClinicalRange(value: number, params: ReliableChangeParameters): boolean | null {
  if (!params.cutoff || params.direction === 'none') return null;
  // The one rule of domain/stats: a score exactly at the cut-off has not passed it (still clinical).
  return !isFunctional(value, params.cutoff.value, params.direction === 'higher-is-worse');
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

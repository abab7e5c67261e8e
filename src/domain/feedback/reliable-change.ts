import { inClinicalRange, type ReliableChangeParameters } from '../instruments/reliable-change.ts';
import { RC_CRITERION, type ChangeClass } from '../stats/reliableChange.ts';

export type { ChangeClass };

export interface ChangeAssessment {
  /** Raw change in the "better" direction (positive = improvement). */
  improvement: number;
  /** RC = (post − pre)/S_diff, signed so that positive is improvement; null without S_diff. */
  rci: number | null;
  /** How reliability was judged: J–T RCI, or the instrument's published reliable-change threshold. */
  basis: 'rci' | 'published-threshold' | null;
  reliable: boolean;
  class: ChangeClass | null;
  preClinical: boolean | null;
  postClinical: boolean | null;
}

/**
 * Jacobson & Truax (1991): reliable change when |RC| > 1.96; recovered = reliably improved and moved
 * from the clinical to the non-clinical side of the cut-off. Without a sourced SD there is no S_diff;
 * then an instrument's published reliable-change threshold (e.g. IAPT's 6 points on the PHQ-9) is
 * used instead, and no RCI is reported.
 */
export function assessChange(pre: number, post: number, params: ReliableChangeParameters): ChangeAssessment {
  const sign = params.direction === 'higher-is-better' ? 1 : -1;
  const improvement = sign * (post - pre);
  const rci = params.sDiff ? improvement / params.sDiff : null;
  const threshold = params.publishedReliableChange?.value ?? null;
  const basis = rci !== null ? 'rci' : threshold !== null ? 'published-threshold' : null;
  const reliable =
    rci !== null ? Math.abs(rci) > RC_CRITERION : threshold !== null && Math.abs(improvement) >= threshold;
  const preClinical = inClinicalRange(pre, params);
  const postClinical = inClinicalRange(post, params);
  let cls: ChangeClass | null = null;
  if (basis !== null && params.direction !== 'none') {
    if (!reliable) cls = 'unchanged';
    else if (improvement < 0) cls = 'deteriorated';
    else cls = preClinical === true && postClinical === false ? 'recovered' : 'improved';
  }
  return { improvement, rci, basis, reliable, class: cls, preClinical, postClinical };
}

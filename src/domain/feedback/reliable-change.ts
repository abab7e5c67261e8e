import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';

export type ChangeClass = 'recovered' | 'improved' | 'unchanged' | 'deteriorated';

export interface ChangeAssessment {
  /** Raw change in the "better" direction (positive = improvement). */
  improvement: number;
  /** RC = (post − pre)/S_diff, signed so that positive is improvement. */
  rci: number | null;
  reliable: boolean;
  class: ChangeClass | null;
  preClinical: boolean | null;
  postClinical: boolean | null;
}

function clinical(value: number, params: ReliableChangeParameters): boolean | null {
  if (!params.cutoff || params.direction === 'none') return null;
  return params.direction === 'higher-is-worse' ? value >= params.cutoff.value : value < params.cutoff.value;
}

/**
 * Jacobson & Truax (1991): reliable change when |RC| > 1.96; recovered = reliably improved and moved
 * from the clinical to the non-clinical side of the cut-off.
 */
export function assessChange(pre: number, post: number, params: ReliableChangeParameters): ChangeAssessment {
  const sign = params.direction === 'higher-is-better' ? 1 : -1;
  const improvement = sign * (post - pre);
  const rci = params.sDiff ? improvement / params.sDiff : null;
  const reliable = rci !== null && Math.abs(rci) > 1.96;
  const preClinical = clinical(pre, params);
  const postClinical = clinical(post, params);
  let cls: ChangeClass | null = null;
  if (rci !== null && params.direction !== 'none') {
    if (!reliable) cls = 'unchanged';
    else if (rci < 0) cls = 'deteriorated';
    else cls = preClinical === true && postClinical === false ? 'recovered' : 'improved';
  }
  return { improvement, rci, reliable, class: cls, preClinical, postClinical };
}

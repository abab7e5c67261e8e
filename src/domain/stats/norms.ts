/**
 * Comparison with published norms: a person's z-score and normal percentile, and a group mean
 * against a norm group by Welch's t-test from summary statistics.
 */
import type { GroupSummary } from './descriptive.ts';
import { pnorm } from './distributions.ts';
import { cohenD, dFromT, hedgesG } from './effectsize.ts';
import { finite, positive } from './guards.ts';
import { welchFromSummary, type TTestOptions, type TTestResult } from './ttest.ts';

export interface Norm {
  mean: number;
  sd: number;
}

/** z = (x − M)/SD. */
export function zScore(x: number, norm: Norm): number {
  return (finite(x, 'x') - finite(norm?.mean, 'norm.mean')) / positive(norm?.sd, 'norm.sd');
}

/** Percentile (0–100) of x in a normal norm distribution: 100·Φ(z). */
export function percentile(x: number, norm: Norm): number {
  return 100 * pnorm(zScore(x, norm));
}

export interface NormComparison {
  /** Welch t-test of group − norm; the norm's SD and N are taken as a sample's. */
  welch: TTestResult;
  /** d = 2t/√df from the Welch t: the convention of seed 000 (and of many SPSS-era papers). */
  dFromT: number;
  /** Cohen's d with the pooled SD, and Hedges' g. */
  cohenD: number;
  hedgesG: number;
  /** (group mean − norm mean)/norm SD: where the group mean sits in the norm distribution. */
  zOfGroupMean: number;
  percentileOfGroupMean: number;
}

export function normComparison(group: GroupSummary, norm: GroupSummary, options?: TTestOptions): NormComparison {
  const welch = welchFromSummary(group, norm, options);
  const d = cohenD(group, norm);
  const z = zScore(group.mean, norm);
  return {
    welch,
    dFromT: dFromT(welch.t, welch.df),
    cohenD: d,
    hedgesG: hedgesG(d, group.n + norm.n - 2),
    zOfGroupMean: z,
    percentileOfGroupMean: 100 * pnorm(z),
  };
}

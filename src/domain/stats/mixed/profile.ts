import { zeroin } from '../roots.ts';

/** χ²₁ 0.95 quantile, qchisq(0.95, 1). */
export const CHISQ1_95 = 3.841458820694124;

/**
 * Profile interval of a scalar θ ≥ 0 around the optimum θ̂ (as make_mixed_refs.R computes it):
 * lower = 0 when the criterion at 0 is within the cut-off, upper searched up from max(1, 10θ̂); each limit
 * is a root found by R's zeroin (`../roots.ts`), as uniroot finds it.
 */
export function profileInterval(crit: (theta: number) => number, thetaHat: number, critHat: number): [number, number] {
  const g = (t: number): number => crit(t) - critHat - CHISQ1_95;
  const lo = thetaHat <= 0 || g(0) <= 0 ? 0 : zeroin(g, 0, thetaHat, 1e-13).root;
  let top = Math.max(1, thetaHat * 10);
  for (let k = 0; k < 60 && g(top) < 0; k++) top *= 2;
  const hi = g(top) < 0 ? Number.POSITIVE_INFINITY : zeroin(g, thetaHat, top, 1e-13).root;
  return [lo, hi];
}

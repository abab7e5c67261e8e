/**
 * Brent's root finder (the algorithm of R's `uniroot`/zeroin), used for profile-likelihood limits:
 * the θ where the criterion exceeds its minimum by the χ²₁ 95% quantile.
 */
export function brentRoot(f: (x: number) => number, lo: number, hi: number, tol = 1e-13, maxIter = 1000): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new RangeError('brentRoot: the interval does not bracket a root');
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let it = 0; it < maxIter; it++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      [a, b, c] = [b, c, b];
      [fa, fb, fc] = [fb, fc, fb];
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return b;
}

/** χ²₁ 0.95 quantile, qchisq(0.95, 1). */
export const CHISQ1_95 = 3.841458820694124;

/**
 * Profile interval of a scalar θ ≥ 0 around the optimum θ̂ (as make_mixed_refs.R computes it):
 * lower = 0 when the criterion at 0 is within the cut-off, upper searched up from max(1, 10θ̂).
 */
export function profileInterval(crit: (theta: number) => number, thetaHat: number, critHat: number): [number, number] {
  const g = (t: number): number => crit(t) - critHat - CHISQ1_95;
  const lo = thetaHat <= 0 || g(0) <= 0 ? 0 : brentRoot(g, 0, thetaHat);
  let top = Math.max(1, thetaHat * 10);
  for (let k = 0; k < 60 && g(top) < 0; k++) top *= 2;
  const hi = g(top) < 0 ? Number.POSITIVE_INFINITY : brentRoot(g, thetaHat, top);
  return [lo, hi];
}

/**
 * Brent's root finder, a line-by-line port of R's zeroin (R_zeroin2, used by uniroot), so that
 * quantities R defines through uniroot (Fisher's conditional MLE) follow the same iterates.
 */
import { degenerate } from './guards.ts';

const EPS = 2.220446049250313e-16;

export interface RootResult {
  root: number;
  iterations: number;
}

/** Finds x in [ax, bx] with f(x) = 0; f(ax) and f(bx) must differ in sign. */
export function zeroin(f: (x: number) => number, ax: number, bx: number, tol: number, maxit = 1000): RootResult {
  let a = ax;
  let b = bx;
  let fa = f(a);
  let fb = f(b);
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0 };
  if (fb === 0) return { root: b, iterations: 0 };
  if (fa * fb > 0) degenerate('The root finder was given an interval without a sign change.', { lower: ax, upper: bx });
  let it = maxit + 1;
  while (it--) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * EPS * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return { root: b, iterations: maxit - it };
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: -1 };
}

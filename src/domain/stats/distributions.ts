/**
 * Normal, t, F and chi-square distributions, built on @stdlib special functions and written to agree
 * with R 4.2 (see test/fixtures/stats/r_reference.csv). Upper tails come straight from the upper
 * incomplete beta/gamma function: 1 − cdf would lose every digit of a small p-value.
 */
import {
  betainc,
  betaln,
  chisqQuantileStart,
  erfc,
  fQuantileStart,
  gammainc,
  gammaln,
  log1p,
  tQuantileStart,
} from './stdlib.ts';
import { degenerate, invalid } from './guards.ts';

function checkDf(df: number, name = 'df'): void {
  if (!(df > 0 && Number.isFinite(df)))
    invalid(`${name} must be a finite number greater than 0; got ${df}.`, { field: name, value: df });
}

function checkX(x: number): void {
  if (Number.isNaN(x)) invalid('The argument of a distribution function must be a number, not NaN.');
}

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) invalid(`A probability must lie in [0, 1]; got ${p}.`, { value: p });
}

// ---------------------------------------------------------------- normal

/** Standard normal lower tail Φ(z). */
export function pnorm(z: number): number {
  checkX(z);
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal upper tail 1 − Φ(z), computed directly. */
export function pnormUpper(z: number): number {
  checkX(z);
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Standard normal quantile by Wichura's AS 241 (PPND16), the algorithm R's qnorm uses; relative
 * accuracy about 1e-16. (@stdlib's normal quantile goes through erfinv and loses digits below 1e-10.)
 */
export function qnorm(p: number): number {
  checkP(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1.0)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1.0);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1.0);
  }
  return q < 0 ? -val : val;
}

// ---------------------------------------------------------------- t

/**
 * P(|T| > |t|) for T ~ t(df), as R's pt computes it: the incomplete beta in whichever argument is
 * not close to 1, so neither tail loses digits.
 */
function tTwoTail(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  const nx = 1 + (t / df) * t;
  // Far out (t² > 1e100·df) the beta argument loses meaning; R uses the leading term of the tail.
  if (nx > 1e100)
    return Math.exp(
      -0.5 * df * (2 * Math.log(Math.abs(t)) - Math.log(df)) - betaln(0.5 * df, 0.5) - Math.log(0.5 * df),
    );
  const t2 = t * t;
  if (df > t2) return betainc(t2 / (df + t2), 0.5, df / 2, true, true);
  return betainc(1 / nx, df / 2, 0.5, true, false);
}

/** Lower tail P(T ≤ t) of Student's t with df degrees of freedom (df may be fractional). */
export function pt(t: number, df: number): number {
  checkX(t);
  checkDf(df);
  const half = tTwoTail(t, df) / 2;
  return t <= 0 ? half : 0.5 - half + 0.5;
}

/** Upper tail P(T > t), by symmetry; exact, no subtraction for t > 0. */
export function ptUpper(t: number, df: number): number {
  return pt(-t, df);
}

/** Two-sided p-value P(|T| ≥ |t|) from the upper incomplete beta. */
export function tTwoSidedP(t: number, df: number): number {
  checkX(t);
  checkDf(df);
  return Math.min(1, tTwoTail(t, df));
}

export function dt(t: number, df: number): number {
  return Math.exp(-((df + 1) / 2) * log1p((t * t) / df) - 0.5 * Math.log(df) - betaln(df / 2, 0.5));
}

// ---------------------------------------------------------------- F

/** Lower tail P(F ≤ x) for F ~ F(df1, df2), with R's choice of beta argument. */
export function pf(x: number, df1: number, df2: number): number {
  return fTail(x, df1, df2, false);
}

/** Upper tail P(F > x), computed directly: the ANOVA p-value. */
export function pfUpper(x: number, df1: number, df2: number): number {
  return fTail(x, df1, df2, true);
}

function fTail(x: number, df1: number, df2: number, upper: boolean): number {
  checkX(x);
  checkDf(df1, 'df1');
  checkDf(df2, 'df2');
  if (x <= 0) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  if (df1 * x > df2) return betainc(df2 / (df2 + df1 * x), df2 / 2, df1 / 2, true, !upper);
  return betainc((df1 * x) / (df2 + df1 * x), df1 / 2, df2 / 2, true, upper);
}

export function dF(x: number, df1: number, df2: number): number {
  if (x <= 0) return 0;
  const a = df1 / 2;
  const b = df2 / 2;
  return Math.exp(a * Math.log(df1 / df2) + (a - 1) * Math.log(x) - (a + b) * log1p((df1 * x) / df2) - betaln(a, b));
}

// ---------------------------------------------------------------- chi-square

/** Lower tail P(X ≤ x) for X ~ χ²(df): the regularized lower incomplete gamma P(df/2, x/2). */
export function pchisq(x: number, dfv: number): number {
  checkX(x);
  checkDf(dfv);
  if (x <= 0) return 0;
  return gammainc(x / 2, dfv / 2);
}

/** Upper tail P(X > x) from the upper incomplete gamma Q(df/2, x/2): the χ² p-value. */
export function pchisqUpper(x: number, dfv: number): number {
  checkX(x);
  checkDf(dfv);
  if (x <= 0) return 1;
  return gammainc(x / 2, dfv / 2, true, true);
}

export function dchisq(x: number, dfv: number): number {
  if (x <= 0) return 0;
  const k = dfv / 2;
  return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.LN2 - gammaln(k));
}

// ---------------------------------------------------------------- quantiles

/**
 * Solves tail(x) = target for x > 0, where tail is monotone and has density ±dens. Works in
 * (log x, log tail) coordinates, where power-law and exponential tails are nearly straight, with
 * Newton steps kept inside a bracket (falls back to bisection). The @stdlib quantile serves only
 * as a starting value: on its own it is off by up to 1e-4 in the far tails.
 */
function solvePositive(
  tail: (x: number) => number,
  dens: (x: number) => number,
  target: number,
  increasing: boolean,
  start: number,
): number {
  // Bounds of log x: quantiles below e^−708 (the smallest normal double) are reported as 0,
  // above e^709 as Infinity.
  const Y_MIN = -708;
  const Y_MAX = 709;
  const h = (y: number): number => Math.log(tail(Math.exp(y))) - Math.log(target);
  let y = Number.isFinite(start) && start > 0 ? Math.min(Y_MAX, Math.max(Y_MIN, Math.log(start))) : 0;
  // Bracket the root: h changes sign between lo and hi.
  let lo = y;
  let hi = y;
  let hy = h(y);
  if (hy === 0) return Math.exp(y);
  const sign = increasing ? 1 : -1; // sign of dh/dy
  let step = 1e-6;
  if (hy * sign > 0) {
    while (h(lo) * sign > 0) {
      if (lo === Y_MIN) return 0; // the quantile underflows
      lo = Math.max(Y_MIN, lo - step);
      step *= 2;
    }
  } else {
    while (h(hi) * sign < 0 || Number.isNaN(h(hi))) {
      if (hi === Y_MAX) return Infinity; // the quantile overflows
      hi = Math.min(Y_MAX, hi + step);
      step *= 2;
    }
  }
  for (let i = 0; i < 200; i++) {
    const x = Math.exp(y);
    const t = tail(x);
    hy = Math.log(t) - Math.log(target);
    if (hy === 0) break;
    if (hy * sign > 0) hi = y;
    else lo = y;
    const slope = (sign * dens(x) * x) / t;
    let next = y - hy / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - y) <= 4e-16 * Math.max(1, Math.abs(y))) {
      y = next;
      break;
    }
    y = next;
  }
  const x = Math.exp(y);
  // Guard against a tail that underflowed on the way (far beyond p = 1e-280 for some df): never
  // return a quantile whose tail probability is not the one asked for.
  if (x > 0 && Number.isFinite(x) && !(Math.abs(tail(x) / target - 1) < 1e-6)) {
    degenerate(
      `The quantile for a tail probability of ${target} cannot be computed accurately with these degrees of freedom.`,
      { target },
    );
  }
  return x;
}

/** Student t quantile: refined until pt agrees to machine precision. */
export function qt(p: number, dfv: number): number {
  checkP(p);
  checkDf(dfv);
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -qt(1 - p, dfv); // 1 − p is exact for p ≥ 0.5
  // Solve P(T ≤ −x) = p for x > 0.
  const start = -tQuantileStart(p, dfv);
  return -solvePositive(
    (x) => pt(-x, dfv),
    (x) => dt(x, dfv),
    p,
    false,
    start,
  );
}

/** F quantile, solved in the lower tail for p ≤ 0.5 and in the upper tail otherwise. */
export function qf(p: number, df1: number, df2: number): number {
  checkP(p);
  checkDf(df1, 'df1');
  checkDf(df2, 'df2');
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const start = fQuantileStart(p, df1, df2);
  const dens = (x: number): number => dF(x, df1, df2);
  if (p <= 0.5) return solvePositive((x) => pf(x, df1, df2), dens, p, true, start);
  return solvePositive((x) => pfUpper(x, df1, df2), dens, 1 - p, false, start);
}

/** Chi-square quantile, solved in the lower tail for p ≤ 0.5 and in the upper tail otherwise. */
export function qchisq(p: number, dfv: number): number {
  checkP(p);
  checkDf(dfv);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const start = chisqQuantileStart(p, dfv);
  const dens = (x: number): number => dchisq(x, dfv);
  if (p <= 0.5) return solvePositive((x) => pchisq(x, dfv), dens, p, true, start);
  return solvePositive((x) => pchisqUpper(x, dfv), dens, 1 - p, false, start);
}

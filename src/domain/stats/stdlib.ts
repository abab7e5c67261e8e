/**
 * The only place that imports @stdlib. Each leaf package ships its own `export =` declaration; this
 * module re-exports them with named, documented signatures so the rest of the stats core stays typed
 * and a package swap touches one file.
 */
import { createRequire } from 'node:module';

// Each package is required on its first call, not at import: together they are some 440 files, a
// fifth of a second of every server start, while most starts never compute a p-value.
const require = createRequire(import.meta.url);
function lazy<F extends (...args: never[]) => number>(name: string): F {
  let impl: F | undefined;
  return ((...args: Parameters<F>) => (impl ??= require(name) as F)(...args)) as F;
}

/** Regularized incomplete beta I_x(a, b); with `upper` it returns 1 − I_x(a, b) computed directly. */
export const betainc: (x: number, a: number, b: number, regularized?: boolean, upper?: boolean) => number = lazy(
  '@stdlib/math-base-special-betainc',
);
/** Regularized incomplete gamma P(a, x); with `upper` it returns Q(a, x) computed directly. Note the (x, a) order. */
export const gammainc: (x: number, a: number, regularized?: boolean, upper?: boolean) => number = lazy(
  '@stdlib/math-base-special-gammainc',
);
/** log B(a, b). */
export const betaln: (a: number, b: number) => number = lazy('@stdlib/math-base-special-betaln');
/** log Γ(x). */
export const gammaln: (x: number) => number = lazy('@stdlib/math-base-special-gammaln');
/** log of the binomial coefficient (n choose k). */
export const binomcoefln: (n: number, k: number) => number = lazy('@stdlib/math-base-special-binomcoefln');
/** Complementary error function. */
export const erfc: (x: number) => number = lazy('@stdlib/math-base-special-erfc');
/** log(1 + x), accurate for small x. */
export const log1p: (x: number) => number = lazy('@stdlib/math-base-special-log1p');
/** exp(x) − 1, accurate for small x. */
export const expm1: (x: number) => number = lazy('@stdlib/math-base-special-expm1');
/** Starting values for our own quantile refinement (see distributions.ts). */
export const tQuantileStart: (p: number, df: number) => number = lazy('@stdlib/stats-base-dists-t-quantile');
export const fQuantileStart: (p: number, df1: number, df2: number) => number = lazy(
  '@stdlib/stats-base-dists-f-quantile',
);
export const chisqQuantileStart: (p: number, df: number) => number = lazy(
  '@stdlib/stats-base-dists-chisquare-quantile',
);

/**
 * The only place that imports @stdlib. Each leaf package ships its own `export =` declaration; this
 * module re-exports them with named, documented signatures so the rest of the stats core stays typed
 * and a package swap touches one file.
 */
import betaincImpl from '@stdlib/math-base-special-betainc';
import betalnImpl from '@stdlib/math-base-special-betaln';
import binomcoeflnImpl from '@stdlib/math-base-special-binomcoefln';
import erfcImpl from '@stdlib/math-base-special-erfc';
import expm1Impl from '@stdlib/math-base-special-expm1';
import gammaincImpl from '@stdlib/math-base-special-gammainc';
import gammalnImpl from '@stdlib/math-base-special-gammaln';
import log1pImpl from '@stdlib/math-base-special-log1p';
import chisqQuantileImpl from '@stdlib/stats-base-dists-chisquare-quantile';
import fQuantileImpl from '@stdlib/stats-base-dists-f-quantile';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** Regularized incomplete beta I_x(a, b); with `upper` it returns 1 − I_x(a, b) computed directly. */
export const betainc: (x: number, a: number, b: number, regularized?: boolean, upper?: boolean) => number = betaincImpl;
/** Regularized incomplete gamma P(a, x); with `upper` it returns Q(a, x) computed directly. Note the (x, a) order. */
export const gammainc: (x: number, a: number, regularized?: boolean, upper?: boolean) => number = gammaincImpl;
/** log B(a, b). */
export const betaln: (a: number, b: number) => number = betalnImpl;
/** log Γ(x). */
export const gammaln: (x: number) => number = gammalnImpl;
/** log of the binomial coefficient (n choose k). */
export const binomcoefln: (n: number, k: number) => number = binomcoeflnImpl;
/** Complementary error function. */
export const erfc: (x: number) => number = erfcImpl;
/** log(1 + x), accurate for small x. */
export const log1p: (x: number) => number = log1pImpl;
/** exp(x) − 1, accurate for small x. */
export const expm1: (x: number) => number = expm1Impl;
/** Starting values for our own quantile refinement (see distributions.ts). */
export const tQuantileStart: (p: number, df: number) => number = tQuantileImpl;
export const fQuantileStart: (p: number, df1: number, df2: number) => number = fQuantileImpl;
export const chisqQuantileStart: (p: number, df: number) => number = chisqQuantileImpl;

/**
 * Post-hoc pairwise comparisons after a one-way ANOVA: Tukey's HSD (as R's stats::TukeyHSD) and
 * Games-Howell for unequal variances (Welch's SE and df per pair, the studentized range for the p and
 * the interval). The studentized range distribution follows R's ptukey/qtukey (Copenhaver & Holland
 * 1988, AS 190 for the start of the secant search), so the figures match R to about 1e-10.
 */
import { pnorm } from './distributions.ts';
import { mean, sumSquares } from './descriptive.ts';
import { degenerate, invalid, sample } from './guards.ts';
import { gammaln } from './stdlib.ts';
import { splitByGroup } from './anova.ts';

const XLEG = [
  0.98156063424671925069, 0.904117256370474856678, 0.769902674194304687037, 0.587317954286617447297,
  0.367831498998180193753, 0.125233408511468915472,
];
const ALEG = [
  0.047175336386511827195, 0.10693932599531843096, 0.160078328543346226335, 0.203167426723065921749,
  0.233492536538354808761, 0.249147045813402785001,
];
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Probability integral of Hartley's form of the range of `cc` normals, raised to `rr` (R's wprob). */
function wprob(w: number, rr: number, cc: number): number {
  const qsqz = w * 0.5;
  if (qsqz >= 8) return 1;
  let prW = 2 * pnorm(qsqz) - 1;
  prW = prW >= Math.exp(-50 / cc) ? prW ** cc : 0;
  const wincr = w > 3 ? 2 : 3;
  let blb = qsqz;
  const binc = (8 - qsqz) / wincr;
  let bub = blb + binc;
  let einsum = 0;
  const cc1 = cc - 1;
  for (let wi = 1; wi <= wincr; wi++) {
    let elsum = 0;
    const a = 0.5 * (bub + blb);
    const b = 0.5 * (bub - blb);
    for (let jj = 1; jj <= 12; jj++) {
      let j: number;
      let xx: number;
      if (6 < jj) {
        j = 12 - jj + 1;
        xx = XLEG[j - 1];
      } else {
        j = jj;
        xx = -XLEG[j - 1];
      }
      const ac = a + b * xx;
      const qexpo = ac * ac;
      if (qexpo > 60) break;
      const pplus = 2 * pnorm(ac);
      const pminus = 2 * pnorm(ac - w);
      let rinsum = pplus * 0.5 - pminus * 0.5;
      if (rinsum >= Math.exp(-30 / cc1)) {
        rinsum = ALEG[j - 1] * Math.exp(-(0.5 * qexpo)) * rinsum ** cc1;
        elsum += rinsum;
      }
    }
    elsum *= (2 * b * cc) / SQRT_2PI;
    einsum += elsum;
    blb = bub;
    bub += binc;
  }
  prW += einsum;
  if (prW <= Math.exp(-30 / rr)) return 0;
  prW = prW ** rr;
  return prW >= 1 ? 1 : prW;
}

const XLEGQ = [
  0.98940093499164993259, 0.944575023073232576078, 0.86563120238783174388, 0.755404408355003033895,
  0.617876244402643748447, 0.458016777657227386342, 0.28160355077925891323, 0.0950125098376374401853,
];
const ALEGQ = [
  0.027152459411754094852, 0.062253523938647892863, 0.09515851168249278481, 0.124628971255533872052,
  0.149595988816576732082, 0.169156519395002538189, 0.182603415044923588867, 0.189450610455068496285,
];

/** Lower tail of the studentized range: P(Q ≤ q) for `k` means and `df` error df (R's ptukey, nranges 1). */
export function ptukey(q: number, k: number, df: number): number {
  if (!(k >= 2) || !(df >= 2)) invalid(`The studentized range needs k ≥ 2 and df ≥ 2; got k = ${k}, df = ${df}.`);
  if (Number.isNaN(q)) invalid('q must be a number.');
  if (q <= 0) return 0;
  if (!Number.isFinite(q)) return 1;
  if (df > 25000) return wprob(q, 1, k);
  const f2 = df * 0.5;
  let f2lf = f2 * Math.log(df) - df * Math.LN2 - gammaln(f2);
  const f21 = f2 - 1;
  const ff4 = df * 0.25;
  const ulen = df <= 100 ? 1 : df <= 800 ? 0.5 : df <= 5000 ? 0.25 : 0.125;
  f2lf += Math.log(ulen);
  let ans = 0;
  for (let i = 1; i <= 50; i++) {
    let otsum = 0;
    const twa1 = (2 * i - 1) * ulen;
    for (let jj = 1; jj <= 16; jj++) {
      let j: number;
      let t1: number;
      if (8 < jj) {
        j = jj - 8 - 1;
        t1 = f2lf + f21 * Math.log(twa1 + XLEGQ[j] * ulen) - (XLEGQ[j] * ulen + twa1) * ff4;
      } else {
        j = jj - 1;
        t1 = f2lf + f21 * Math.log(twa1 - XLEGQ[j] * ulen) + (XLEGQ[j] * ulen - twa1) * ff4;
      }
      if (t1 >= -30) {
        const qsqz =
          8 < jj ? q * Math.sqrt((XLEGQ[j] * ulen + twa1) * 0.5) : q * Math.sqrt((-(XLEGQ[j] * ulen) + twa1) * 0.5);
        otsum += wprob(qsqz, 1, k) * ALEGQ[j] * Math.exp(t1);
      }
    }
    if (i * ulen >= 1 && otsum <= 1e-14) break;
    ans += otsum;
  }
  return ans > 1 ? 1 : ans;
}

/** Upper tail P(Q > q), as R's ptukey(q, k, df, lower.tail = FALSE) (= 1 − lower). */
export function ptukeyUpper(q: number, k: number, df: number): number {
  return 0.5 - ptukey(q, k, df) + 0.5;
}

/** Starting value for the secant search (R's qinv, after AS 190). */
function qinv(p: number, c: number, v: number): number {
  const ps = 0.5 - 0.5 * p;
  const yi = Math.sqrt(Math.log(1 / (ps * ps)));
  let t =
    yi +
    ((((yi * -0.453642210148e-4 + -0.204231210125) * yi + -0.342242088547) * yi + -1) * yi + 0.322232421088) /
      ((((yi * 0.38560700634e-2 + 0.10353775285) * yi + 0.531103462366) * yi + 0.588581570495) * yi + 0.99348462606e-1);
  if (v < 120) t += (t * t * t + t) / v / 4;
  let q = 0.8832 - 0.2368 * t;
  if (v < 120) q += -1.214 / v + (1.208 * t) / v;
  return t * (q * Math.log(c - 1) + 1.4142);
}

/** Quantile of the studentized range (R's qtukey: secant iterations until two iterates differ < 1e-4). */
export function qtukey(p: number, k: number, df: number): number {
  if (!(p > 0 && p < 1)) invalid(`p must lie strictly between 0 and 1; got ${p}.`);
  let x0 = qinv(p, k, df);
  let valx0 = ptukey(x0, k, df) - p;
  let x1 = valx0 > 0 ? Math.max(0, x0 - 1) : x0 + 1;
  let valx1 = ptukey(x1, k, df) - p;
  let ans = 0;
  for (let iter = 1; iter < 50; iter++) {
    ans = x1 - (valx1 * (x1 - x0)) / (valx1 - valx0);
    valx0 = valx1;
    x0 = x1;
    if (ans < 0) ans = 0;
    valx1 = ptukey(ans, k, df) - p;
    x1 = ans;
    if (Math.abs(x1 - x0) < 0.0001) return ans;
  }
  return ans;
}

export interface PairwiseComparison {
  /** "b-a": the later group minus the earlier, as R names the rows. */
  pair: string;
  a: string;
  b: string;
  diff: number;
  lwr: number;
  upr: number;
  /** Adjusted p-value (studentized range). */
  p: number;
  /** Games-Howell only: Welch's t and df of the pair. */
  t?: number;
  df?: number;
}

export interface PostHocResult {
  method: 'Tukey HSD' | 'Games-Howell';
  level: number;
  comparisons: PairwiseComparison[];
}

function groupsInOrder(labels: readonly (string | number)[], y: readonly number[], order?: readonly string[]) {
  const split = splitByGroup(labels, sample(y, 'y', 0));
  const groups = order ? order.map((l) => split.find((g) => g.label === l)).filter((g) => g !== undefined) : split;
  if (groups.length < 2) degenerate(`Post-hoc comparisons need at least 2 groups; got ${groups.length}.`);
  return groups.map((g) => {
    const m = mean(g.values);
    return { label: g.label, n: g.values.length, mean: m, ss: sumSquares(g.values, m) };
  });
}

/**
 * Tukey's honestly significant differences on raw data (R: TukeyHSD(aov(y ~ g))), groups in `order`
 * (R's factor levels) or in order of appearance. Pooled error variance from all groups.
 */
export function tukeyHSD(
  labels: readonly (string | number)[],
  y: readonly number[],
  options: { order?: readonly string[]; level?: number } = {},
): PostHocResult {
  const level = options.level ?? 0.95;
  const gs = groupsInOrder(labels, y, options.order);
  const N = gs.reduce((s, g) => s + g.n, 0);
  const df = N - gs.length;
  if (df < 2) degenerate('Tukey HSD needs at least two more cases than groups.', { N, k: gs.length });
  const mse = gs.reduce((s, g) => s + g.ss, 0) / df;
  if (!(mse > 0)) degenerate('Every group has zero variance, so Tukey HSD is undefined.');
  const k = gs.length;
  const qcrit = qtukey(level, k, df);
  const comparisons: PairwiseComparison[] = [];
  for (let i = 0; i < k - 1; i++)
    for (let j = i + 1; j < k; j++) {
      const diff = gs[j].mean - gs[i].mean;
      const se = Math.sqrt((mse / 2) * (1 / gs[i].n + 1 / gs[j].n));
      const width = qcrit * se;
      comparisons.push({
        pair: `${gs[j].label}-${gs[i].label}`,
        a: gs[i].label,
        b: gs[j].label,
        diff,
        lwr: diff - width,
        upr: diff + width,
        p: ptukeyUpper(Math.abs(diff) / se, k, df),
      });
    }
  return { method: 'Tukey HSD', level, comparisons };
}

/**
 * Games-Howell: per pair Welch's SE √(s²ᵢ/nᵢ + s²ⱼ/nⱼ) and df, p = P(Q > |t|·√2) on k groups, interval
 * diff ± q(level; k, df)/√2 · SE. Each group needs n ≥ 2 and a nonzero variance.
 */
export function gamesHowell(
  labels: readonly (string | number)[],
  y: readonly number[],
  options: { order?: readonly string[]; level?: number } = {},
): PostHocResult {
  const level = options.level ?? 0.95;
  const gs = groupsInOrder(labels, y, options.order).map((g) => {
    if (g.n < 2 || !(g.ss > 0))
      degenerate(`Group '${g.label}' has fewer than 2 cases or zero variance, so Games-Howell is undefined.`, {
        group: g.label,
      });
    return { ...g, v: g.ss / (g.n - 1) };
  });
  const k = gs.length;
  const comparisons: PairwiseComparison[] = [];
  for (let i = 0; i < k - 1; i++)
    for (let j = i + 1; j < k; j++) {
      const diff = gs[j].mean - gs[i].mean;
      const a = gs[i].v / gs[i].n;
      const b = gs[j].v / gs[j].n;
      const se = Math.sqrt(a + b);
      const df = (a + b) ** 2 / ((a * a) / (gs[i].n - 1) + (b * b) / (gs[j].n - 1));
      const t = diff / se;
      const width = (qtukey(level, k, df) / Math.SQRT2) * se;
      comparisons.push({
        pair: `${gs[j].label}-${gs[i].label}`,
        a: gs[i].label,
        b: gs[j].label,
        diff,
        lwr: diff - width,
        upr: diff + width,
        p: ptukeyUpper(Math.abs(t) * Math.SQRT2, k, df),
        t,
        df,
      });
    }
  return { method: 'Games-Howell', level, comparisons };
}

/**
 * Tests on r×c contingency tables as R's chisq.test and fisher.test compute them: Pearson χ²,
 * Yates' continuity correction (2×2 only) and Fisher's exact test (2×2) with the conditional
 * maximum-likelihood odds ratio and its exact confidence interval.
 */
import { pchisqUpper } from './distributions.ts';
import { degenerate, invalid, level as checkLevel } from './guards.ts';
import { binomcoefln } from './stdlib.ts';
import { zeroin } from './roots.ts';
import { part, type Part } from './parts.ts';

export interface ChiSquareResult {
  chisq: number;
  df: number;
  /** Upper tail of χ²(df), from the upper incomplete gamma. */
  p: number;
}

export interface FisherResult {
  /** Two-sided p: the sum of all tables no more likely than the observed one (R's rule, relative slack 1e-7). */
  p: number;
  /** Conditional MLE of the odds ratio (not the sample odds ratio ad/bc). */
  oddsRatio: number;
  ci: [number, number];
  level: number;
}

export interface ContingencyResult {
  n: number;
  expected: number[][];
  pearson: ChiSquareResult;
  /** Only for 2×2 tables. */
  yates?: ChiSquareResult;
  /** Only for 2×2 tables; an error part for a table of non-integer counts (χ² stays). */
  fisher?: Part<FisherResult>;
}

/** Validates a table of counts: rectangular, at least 2×2, non-negative, no empty row or column. */
export function checkTable(table: unknown): number[][] {
  if (!Array.isArray(table) || table.length < 2) invalid('A contingency table needs at least 2 rows.');
  const rows = table as unknown[];
  const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : -1;
  if (width < 2) invalid('A contingency table needs at least 2 columns.');
  const out = rows.map((row, i) => {
    if (!Array.isArray(row) || row.length !== width) invalid(`Row ${i + 1} of the table must have ${width} cells.`);
    return row.map((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        invalid(`Cell [${i + 1}, ${j + 1}] must be a non-negative count.`, { value: String(v) });
      return v;
    });
  });
  out.forEach((row, i) => {
    if (row.every((v) => v === 0)) degenerate(`Row ${i + 1} of the table has no observations.`);
  });
  for (let j = 0; j < width; j++)
    if (out.every((row) => row[j] === 0)) degenerate(`Column ${j + 1} of the table has no observations.`);
  return out;
}

function chiSquare(x: number[][], expected: number[][], yates: number): ChiSquareResult {
  let chisq = 0;
  x.forEach((row, i) => row.forEach((v, j) => (chisq += (Math.abs(v - expected[i][j]) - yates) ** 2 / expected[i][j])));
  const df = (x.length - 1) * (x[0].length - 1);
  return { chisq, df, p: pchisqUpper(chisq, df) };
}

/** Pearson χ² for any r×c table; for 2×2 also Yates and Fisher. */
export function contingencyTest(
  table: readonly (readonly number[])[],
  options?: { level?: number },
): ContingencyResult {
  const x = checkTable(table);
  const rows = x.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0));
  const n = rows.reduce((s, v) => s + v, 0);
  const expected = rows.map((r) => cols.map((c) => (r * c) / n));
  const result: ContingencyResult = { n, expected, pearson: chiSquare(x, expected, 0) };
  if (x.length === 2 && x[0].length === 2) {
    // R: YATES <- min(0.5, abs(x - E)), one value for the whole table.
    let yates = 0.5;
    x.forEach((r, i) => r.forEach((v, j) => (yates = Math.min(yates, Math.abs(v - expected[i][j])))));
    result.yates = chiSquare(x, expected, yates);
    result.fisher = part(() => fisherExact2x2(x, options?.level));
  }
  return result;
}

/**
 * Fisher's exact test for a 2×2 table [[a, b], [c, d]]. Loops over typed arrays only (no spread
 * arguments, no recursion), so margins in the hundreds of thousands work: the support has at most
 * min(row, column total) + 1 points and each root-finding step is one pass over it.
 */
export function fisherExact2x2(table: readonly (readonly number[])[], level?: number): FisherResult {
  const t = checkTable(table);
  if (t.length !== 2 || t[0].length !== 2) invalid("Fisher's exact test here takes a 2×2 table.");
  if (!t.flat().every(Number.isInteger)) invalid("Fisher's exact test needs whole-number counts.");
  const lvl = checkLevel(level);
  const m = t[0][0] + t[1][0]; // first column total
  const n = t[0][1] + t[1][1];
  const k = t[0][0] + t[0][1]; // first row total
  const x = t[0][0];
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const size = hi - lo + 1;
  const logdc = new Float64Array(size);
  for (let i = 0; i < size; i++) logdc[i] = binomcoefln(m, lo + i) + binomcoefln(n, k - lo - i);
  const work = new Float64Array(size);
  // Noncentral hypergeometric probabilities for odds ratio exp(logPsi), normalized at the maximum.
  const dens = (logPsi: number): Float64Array => {
    let mx = -Infinity;
    for (let i = 0; i < size; i++) {
      const v = logdc[i] + logPsi * (lo + i);
      work[i] = v;
      if (v > mx) mx = v;
    }
    let tot = 0;
    for (let i = 0; i < size; i++) {
      const e = Math.exp(work[i] - mx);
      work[i] = e;
      tot += e;
    }
    for (let i = 0; i < size; i++) work[i] /= tot;
    return work;
  };
  const d1 = dens(0);
  const dObs = d1[x - lo] * (1 + 1e-7);
  let p = 0;
  for (let i = 0; i < size; i++) if (d1[i] <= dObs) p += d1[i];
  p = Math.min(1, p);
  const meanAt = (logPsi: number): number => {
    const d = dens(logPsi);
    let s = 0;
    for (let i = 0; i < size; i++) s += d[i] * (lo + i);
    return s;
  };
  const tail = (logPsi: number, upper: boolean): number => {
    const d = dens(logPsi);
    let s = 0;
    if (upper) for (let i = x - lo; i < size; i++) s += d[i];
    else for (let i = 0; i <= x - lo; i++) s += d[i];
    return s;
  };
  const alpha = (1 - lvl) / 2;
  const oddsRatio = x === lo ? 0 : x === hi ? Infinity : Math.exp(solveLog((lp) => meanAt(lp) - x));
  const ciLow = x === lo ? 0 : Math.exp(solveLog((lp) => tail(lp, true) - alpha));
  const ciHigh = x === hi ? Infinity : Math.exp(solveLog((lp) => tail(lp, false) - alpha));
  return { p, oddsRatio, ci: [ciLow, ciHigh], level: lvl };
}

/** Root in log(odds ratio) of a monotone function; solving on the log scale keeps tiny and huge ratios precise. */
function solveLog(f: (logPsi: number) => number): number {
  let lo = -1;
  let hi = 1;
  // Expand outward until the bracket holds the root; the noncentral hypergeometric mean is monotone.
  while (Math.sign(f(lo)) === Math.sign(f(hi)) && hi < 700) {
    lo *= 2;
    hi *= 2;
  }
  if (Math.sign(f(lo)) === Math.sign(f(hi))) degenerate('The odds ratio is outside the representable range.');
  return zeroin(f, lo, hi, 1e-13).root;
}

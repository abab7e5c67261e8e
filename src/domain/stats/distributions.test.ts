import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  pchisq,
  pchisqUpper,
  pf,
  pfUpper,
  pnorm,
  pnormUpper,
  pt,
  ptUpper,
  qchisq,
  qf,
  qnorm,
  qt,
  tTwoSidedP,
} from './distributions.ts';
import { pnt } from './noncentralT.ts';
import { REL_TOL, relativeError } from './referenceCompare.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/stats/${name}`, import.meta.url), 'utf8');

interface Row {
  fn: string;
  a: number;
  b: number;
  c: number;
  r: number;
}

// r_reference.csv: fn, a, b, c, r — arguments in R's order (x or p first, then df), r = R 4.2.2's value.
const rows: Row[] = fixture('r_reference.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [fn, a, b, c, r] = line.split(',');
    const num = (s: string): number => (s === '' ? NaN : Number(s.replace(/"/g, '')));
    return { fn: fn.replace(/"/g, ''), a: num(a), b: num(b), c: num(c), r: num(r) };
  });

const ours: Record<string, (a: number, b: number, c: number) => number> = {
  pt: (a, b) => pt(a, b),
  qt: (a, b) => qt(a, b),
  pf: (a, b, c) => pf(a, b, c),
  pf_upper: (a, b, c) => pfUpper(a, b, c),
  qf: (a, b, c) => qf(a, b, c),
  pchisq: (a, b) => pchisq(a, b),
  pchisq_upper: (a, b) => pchisqUpper(a, b),
  qchisq: (a, b) => qchisq(a, b),
  pnorm: (a) => pnorm(a),
  qnorm: (a) => qnorm(a),
};

/*
 * Excluded rows: R's qf is inexact here, not Spiegel. R computes
 *   qf(p, df1, df2) = (1/qbeta(p, df2/2, df1/2, lower.tail = FALSE) − 1) · df2/df1,
 * and when the quantile q is small next to df2/df1, qbeta is within a few ulps of 1 and the
 * subtraction cancels: R's relative error is about ε·df2/(df1·q) (R returns 0 once qbeta rounds to 1).
 * These are the rows where that error exceeds 1e-9. The reference README names this weakness for
 * p < 1e-3 with large df2; it shows up for small df1 at moderate df2 too. For each we check instead
 * that our quantile round-trips through pf (itself checked against R above) and that the gap to R is
 * within R's own error bound.
 */
const EXCLUDED_QF: [p: number, df1: number, df2: number, why: string][] = [
  [1e-12, 1, 1, 'R returns 0'],
  [1e-6, 1, 1, 'R off by 1.7e-5'],
  [1e-12, 2, 10, 'R off by 3.1e-4'],
  [1e-12, 3, 816, 'R off by 6.9e-7'],
  [1e-12, 1, 1352, 'R returns 0'],
  [1e-6, 1, 1352, 'R off by 4.7e-2'],
  [1e-3, 1, 1352, 'R off by 8.7e-8'],
  [1e-12, 0.5, 7.3, 'R returns 0'],
  [1e-6, 0.5, 7.3, 'R returns 0'],
  [1e-3, 0.5, 7.3, 'R off by 1.5e-4'],
];
const isExcluded = (r: Row): boolean =>
  r.fn === 'qf' && EXCLUDED_QF.some(([p, d1, d2]) => r.a === p && r.b === d1 && r.c === d2);

describe('distributions against R 4.2.2 (r_reference.csv)', () => {
  it('has all 670 reference values', () => {
    expect(rows).toHaveLength(670);
    expect(rows.filter(isExcluded)).toHaveLength(EXCLUDED_QF.length);
  });

  it('agrees within 1e-9 relative on every row but the documented qf exclusions', () => {
    let worst = 0;
    let worstRow: Row | undefined;
    const failures: string[] = [];
    for (const row of rows.filter((r) => !isExcluded(r))) {
      const v = ours[row.fn](row.a, row.b, row.c);
      const err = relativeError(v, row.r);
      if (err > worst) {
        worst = err;
        worstRow = row;
      }
      if (!(err <= REL_TOL)) failures.push(`${row.fn}(${row.a}, ${row.b}, ${row.c}) = ${v}, R ${row.r}, rel ${err}`);
    }
    console.info(`worst relative error vs R: ${worst.toExponential(2)} at ${JSON.stringify(worstRow)}`);
    expect(failures).toEqual([]);
  });

  it.each(EXCLUDED_QF)('qf(%s, %s, %s) is exact where R is not (%s)', (p, d1, d2) => {
    const row = rows.find((r) => r.fn === 'qf' && r.a === p && r.b === d1 && r.c === d2)!;
    const q = qf(p, d1, d2);
    expect(q).toBeGreaterThan(0);
    expect(relativeError(pf(q, d1, d2), p)).toBeLessThan(1e-13);
    const rBound = 2.220446049250313e-16 * (1 + d2 / (d1 * q));
    if (row.r === 0) expect(rBound).toBeGreaterThan(1);
    else expect(relativeError(row.r, q)).toBeLessThan(2 * rBound);
  });
});

describe('tails are computed directly, never as 1 − cdf', () => {
  it('keeps digits far out in the upper tail', () => {
    expect(relativeError(pnormUpper(37), pnorm(-37))).toBe(0);
    expect(pnormUpper(37)).toBeGreaterThan(0);
    expect(relativeError(ptUpper(40, 1352), pt(-40, 1352))).toBe(0);
    expect(pchisqUpper(1300, 3)).toBeGreaterThan(1e-290); // 1 − pchisq would be 0
    expect(pfUpper(30, 20, 10000)).toBeGreaterThan(1e-150);
    expect(tTwoSidedP(-40, 1352)).toBeCloseTo(2 * pt(-40, 1352), 300);
  });

  it('lower and upper tails add up to 1', () => {
    for (const x of [0.01, 0.5, 3, 30]) {
      expect(pf(x, 3, 17) + pfUpper(x, 3, 17)).toBeCloseTo(1, 15);
      expect(pchisq(x, 4) + pchisqUpper(x, 4)).toBeCloseTo(1, 15);
    }
  });

  it('rejects impossible arguments with a SpiegelError', () => {
    expect(() => pt(1, 0)).toThrow(/df must be a finite number greater than 0/);
    expect(() => qnorm(1.5)).toThrow(/probability/);
    expect(() => pchisq(NaN, 2)).toThrow(/NaN/);
  });
});

describe('noncentral t against R (extra_reference.json)', () => {
  const extra = JSON.parse(fixture('extra_reference.json')) as {
    pnt: { t: number; df: number; ncp: number; p: number; r_warning: boolean }[];
  };
  // AS 243 (R's algorithm and ours) stops at an absolute error bound of 1e-12, so probabilities
  // far below that carry few correct digits in R too (R sums in long double, we in double).
  // Held to 1e-9 relative plus that absolute bound; the CI of d only uses p near 0.025 and 0.975.
  it('pt(t, df, ncp) agrees within 1e-9 relative + 1e-12 absolute', () => {
    const failures = extra.pnt
      .map((r) => ({ ...r, ours: pnt(r.t, r.df, r.ncp) }))
      .filter((r) => !(Math.abs(r.ours - r.p) <= REL_TOL * Math.abs(r.p) + 1e-12));
    expect(failures).toEqual([]);
  });

  it('agrees within 1e-9 relative where p > 1e-6', () => {
    const big = extra.pnt.filter((r) => r.p > 1e-6);
    expect(big.length).toBeGreaterThan(100);
    for (const r of big) expect(relativeError(pnt(r.t, r.df, r.ncp), r.p)).toBeLessThan(REL_TOL);
  });
});

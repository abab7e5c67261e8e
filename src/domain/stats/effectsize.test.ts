import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohenD, cohenDWithCi, dFromT, dzCi, hedgesG } from './effectsize.ts';
import { REL_TOL, relativeError } from './referenceCompare.ts';
import { pairedT } from './ttest.ts';
import { ncpInterval } from './noncentralT.ts';

// extra_reference.json, made by make_extra_refs.R with R 4.2.2: exact CIs of d by inverting pt(t, df, ncp).
const extra = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/extra_reference.json', import.meta.url), 'utf8'),
) as {
  d_ci: { m1: number; s1: number; n1: number; m2: number; s2: number; n2: number; d: number; ci95: [number, number] }[];
};

describe("Cohen's d with its exact (noncentral t) CI, against R", () => {
  it.each(extra.d_ci)('d = $d', (r) => {
    const e = cohenDWithCi({ mean: r.m1, sd: r.s1, n: r.n1 }, { mean: r.m2, sd: r.s2, n: r.n2 });
    expect(relativeError(e.d, r.d)).toBeLessThan(REL_TOL);
    expect(relativeError(e.ci[0], r.ci95[0])).toBeLessThan(REL_TOL);
    expect(relativeError(e.ci[1], r.ci95[1])).toBeLessThan(REL_TOL);
    expect(e.level).toBe(0.95);
  });
});

describe('d conversions', () => {
  it('d = 2t/√df', () => {
    expect(dFromT(7.62, 817)).toBeCloseTo((2 * 7.62) / Math.sqrt(817), 15);
  });

  it("Hedges' g = d(1 − 3/(4df − 1))", () => {
    expect(hedgesG(0.5, 38)).toBeCloseTo(0.5 * (1 - 3 / 151), 15);
  });

  it('2t/√df is the pooled d inflated by √(N/df) for equal groups with Student t', () => {
    const a = { mean: 10, sd: 2, n: 20 };
    const b = { mean: 9, sd: 3, n: 20 };
    const d = cohenD(a, b);
    const t = d / Math.sqrt(1 / 20 + 1 / 20);
    expect(dFromT(t, 38)).toBeCloseTo(d * Math.sqrt(40 / 38), 14);
  });

  it('dz CI brackets dz and narrows with n', () => {
    const x = [5, 7, 6, 9, 8, 7, 10, 6, 8, 9];
    const y = [4, 6, 6, 7, 6, 7, 8, 5, 6, 7];
    const r = pairedT(x, y);
    const ci = dzCi(r.dz, r.n);
    expect(ci[0]).toBeLessThan(r.dz);
    expect(ci[1]).toBeGreaterThan(r.dz);
  });

  it('the ncp interval of t = 0 is symmetric', () => {
    const [lo, hi] = ncpInterval(0, 30);
    expect(lo).toBeCloseTo(-hi, 10);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contingencyTest, fisherExact2x2 } from './contingency.ts';
import { REL_TOL, relativeError } from './referenceCompare.ts';

const extra = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/extra_reference.json', import.meta.url), 'utf8'),
) as {
  fisher: {
    table: number[][];
    p: number;
    odds_ratio: number;
    ci95: [number, number];
    odds_ratio_fisher_test: number;
  }[];
};

describe("Fisher's exact test against R (extra_reference.json)", () => {
  // R's fisher.test finds the MLE and CI with uniroot's default tolerance (about 1e-4 on a 0–1
  // scale), so its printed estimate can be off by 0.2% and its CI ends by 10%; the reference solves
  // R's own equations tightly (make_extra_refs.R), and that is what we are held to.
  it.each(extra.fisher.map((f) => [JSON.stringify(f.table), f] as const))('%s', (_name, r) => {
    const f = fisherExact2x2(r.table);
    expect(relativeError(f.p, r.p)).toBeLessThan(REL_TOL);
    expect(relativeError(f.oddsRatio, r.odds_ratio)).toBeLessThan(REL_TOL);
    expect(relativeError(f.ci[0], r.ci95[0])).toBeLessThan(REL_TOL);
    expect(relativeError(f.ci[1], r.ci95[1])).toBeLessThan(REL_TOL);
    expect(relativeError(f.oddsRatio, r.odds_ratio_fisher_test)).toBeLessThan(1e-2);
  });

  it('gives an infinite upper bound when the first cell is at its maximum', () => {
    const f = fisherExact2x2([
      [5, 0],
      [2, 6],
    ]);
    expect(f.oddsRatio).toBe(Infinity);
    expect(f.ci[1]).toBe(Infinity);
    expect(f.ci[0]).toBeGreaterThan(0);
  });
});

describe('chi-square tables', () => {
  it('gives Yates and Fisher only for 2×2', () => {
    const r = contingencyTest([
      [12, 9, 3],
      [5, 7, 11],
    ]);
    expect(r.yates).toBeUndefined();
    expect(r.fisher).toBeUndefined();
    expect(r.pearson.df).toBe(2);
    expect(r.n).toBe(47);
  });

  it('rejects empty rows, ragged tables and negative counts', () => {
    expect(() =>
      contingencyTest([
        [0, 0],
        [1, 2],
      ]),
    ).toThrow(/Row 1 of the table has no observations/);
    expect(() =>
      contingencyTest([
        [1, 0],
        [1, 0],
      ]),
    ).toThrow(/Column 2 of the table has no observations/);
    expect(() => contingencyTest([[1, 2], [3]])).toThrow(/Row 2 of the table must have 2 cells/);
    expect(() =>
      contingencyTest([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/non-negative count/);
    expect(() => contingencyTest([[1, 2]])).toThrow(/at least 2 rows/);
    expect(() =>
      fisherExact2x2([
        [1.5, 2],
        [3, 4],
      ]),
    ).toThrow(/whole-number/);
  });
});

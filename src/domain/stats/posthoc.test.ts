import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gamesHowell, ptukey, ptukeyUpper, qtukey, tukeyHSD } from './posthoc.ts';

// posthoc_reference.json, made by test/fixtures/stats/make_posthoc_refs.R with R 4.2.2: ptukey, qtukey,
// stats::TukeyHSD, and Games-Howell computed by its formula in base R.
interface Row {
  pair: string;
  diff: number;
  lwr: number;
  upr: number;
  p: number;
  t?: number;
  df?: number;
}
const ref = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/posthoc_reference.json', import.meta.url), 'utf8'),
) as {
  ptukey: { q: number; k: number; df: number; upper: number; lower: number }[];
  qtukey: { p: number; k: number; df: number; q: number }[];
  cases: { name: string; y: number[]; g: string[]; levels: string[]; tukey: Row[]; gamesHowell: Row[] }[];
};

const close = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

describe('studentized range against R', () => {
  it.each(ref.ptukey)('ptukey($q, $k, $df)', ({ q, k, df, upper, lower }) => {
    close(ptukey(q, k, df), lower, 1e-12);
    close(ptukeyUpper(q, k, df), upper, 1e-12);
  });
  it.each(ref.qtukey)('qtukey($p, $k, $df)', ({ p, k, df, q }) => {
    close(qtukey(p, k, df), q, 1e-9);
  });
});

describe.each(ref.cases)('post-hoc tests against R: $name', (c) => {
  const check = (ours: Row[], theirs: Row[]) => {
    expect(ours.map((r) => r.pair)).toEqual(theirs.map((r) => r.pair));
    ours.forEach((r, i) => {
      for (const key of ['diff', 'lwr', 'upr', 'p', 't', 'df'] as const)
        if (theirs[i][key] !== undefined) close(r[key]!, theirs[i][key]!, 1e-9);
    });
  };
  it('Tukey HSD matches stats::TukeyHSD', () => check(tukeyHSD(c.g, c.y, { order: c.levels }).comparisons, c.tukey));
  it('Games-Howell matches the formula in R', () =>
    check(gamesHowell(c.g, c.y, { order: c.levels }).comparisons, c.gamesHowell));
});

describe('post-hoc edge cases', () => {
  it('refuses a constant group for Games-Howell with a stable code', () => {
    expect(() => gamesHowell(['a', 'a', 'b', 'b'], [1, 1, 2, 3])).toThrow(
      expect.objectContaining({ code: 'STATS_DEGENERATE' }),
    );
  });
  it('refuses a single group', () => {
    expect(() => tukeyHSD(['a', 'a', 'a'], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'STATS_DEGENERATE' }));
  });
});

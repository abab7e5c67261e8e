import { alpha as oracleAlpha } from 'krippendorff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohenKappa, krippendorffAlphaNominal, percentAgreement, pooledKappa, type Value } from './reliability.ts';

/** Rows = coders (as the oracle takes them), turned into units. */
function unitsOf(rows: (number | undefined)[][]) {
  const width = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, u) => ({
    values: rows.map((r) => (r[u] === undefined ? null : String(r[u]))) as Value[],
  }));
}

describe('Krippendorff’s α, nominal', () => {
  it('reproduces the binary example of Krippendorff (2011): α = 1 − 19·4/(14·6) = 2/21 ≈ 0.095', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlphaNominal(unitsOf([a, b])).alpha).toBeCloseTo(2 / 21, 12);
  });

  it('reproduces the four-coder example with missing values (Krippendorff 2011: nominal α = 0.743)', () => {
    const u = undefined;
    const rows = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, u, u, u],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, u, 3],
      [u, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, u],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, u],
    ];
    const ours = krippendorffAlphaNominal(unitsOf(rows)).alpha!;
    // Published value 0.743 (three decimals); the oracle agrees to machine precision.
    expect(ours).toBeCloseTo(0.743, 3);
    expect(Math.abs(ours - oracleAlpha(rows))).toBeLessThan(1e-12);
  });

  it('matches the npm krippendorff package on random data with missing values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((coders) =>
          fc.array(
            fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), { minLength: 12, maxLength: 12 }),
            {
              minLength: coders,
              maxLength: coders,
            },
          ),
        ),
        (rows) => {
          const ours = krippendorffAlphaNominal(unitsOf(rows)).alpha;
          const theirs = oracleAlpha(rows);
          if (ours === null) return; // no variation: the oracle divides by zero
          if (!Number.isFinite(theirs)) return;
          expect(Math.abs(ours - theirs)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 300, seed: 20 },
    );
  });

  it('treats a weighted unit as that many identical units', () => {
    const expanded = unitsOf([
      [1, 1, 1, 0, 0],
      [1, 1, 0, 0, 0],
    ]);
    const weighted = [
      { values: ['1', '1'] as Value[], weight: 2 },
      { values: ['1', '0'] as Value[], weight: 1 },
      { values: ['0', '0'] as Value[], weight: 2 },
    ];
    expect(krippendorffAlphaNominal(weighted).alpha).toBeCloseTo(krippendorffAlphaNominal(expanded).alpha!, 12);
  });

  it('is undefined (null) without variation', () => {
    expect(
      krippendorffAlphaNominal(
        unitsOf([
          [1, 1],
          [1, 1],
        ]),
      ).alpha,
    ).toBeNull();
  });
});

describe('Cohen’s κ and percentage agreement', () => {
  // The textbook 2×2 example: 20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no: po = .70, pe = .50, κ = .40.
  const units = [
    { values: ['y', 'y'] as Value[], weight: 20 },
    { values: ['y', 'n'] as Value[], weight: 5 },
    { values: ['n', 'y'] as Value[], weight: 10 },
    { values: ['n', 'n'] as Value[], weight: 15 },
  ];
  it('gives κ = 0.4 exactly for the textbook table', () => {
    const k = cohenKappa(units);
    expect(k.po).toBeCloseTo(0.7, 12);
    expect(k.pe).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(percentAgreement(units)).toBeCloseTo(0.7, 12);
  });

  it('pools po and pe over codes (De Vries et al. 2008), not the κs', () => {
    const other = cohenKappa([
      { values: ['1', '1'], weight: 9 },
      { values: ['0', '0'], weight: 1 },
    ]); // po = 1, pe = .82
    // p̄o = (.7 + 1)/2 = .85; p̄e = (.5 + .82)/2 = .66; κ = .19/.34
    expect(pooledKappa([cohenKappa(units), other])).toBeCloseTo(0.19 / 0.34, 12);
  });

  it('averages coder pairs for three coders', () => {
    // one unit a,a,b: 1 of 3 pairs agree
    expect(percentAgreement([{ values: ['a', 'a', 'b'] }, { values: ['a', null, 'a'] }])).toBeCloseTo(
      (1 / 3 + 1) / 2,
      12,
    );
  });
});

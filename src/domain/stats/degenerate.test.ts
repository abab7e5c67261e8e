/** Degenerate and malformed input gets a SpiegelError with a clear message, never NaN. */
import { describe, expect, it } from 'vitest';
import { SpiegelError } from '../errors.ts';
import { anovaFromSummary, oneWayAnova, welchAnovaFromSummary } from './anova.ts';
import { pearsonCorrelation, spearmanCorrelation } from './correlation.ts';
import { cohenKappa, cronbachAlpha } from './reliability.ts';
import { oneSampleT, pairedT, studentFromSummary, studentT, welchFromSummary, welchT } from './ttest.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpiegelError);
    expect((e as Error).message).not.toMatch(/NaN|undefined$/);
    return (e as SpiegelError).code;
  }
  throw new Error('expected a SpiegelError');
}

describe('t-tests', () => {
  it('n < 2', () => {
    expect(code(() => oneSampleT([3]))).toBe('STATS_DEGENERATE');
    expect(code(() => welchT([1, 2, 3], [4]))).toBe('STATS_DEGENERATE');
    expect(code(() => studentFromSummary({ mean: 1, sd: 1, n: 1 }, { mean: 2, sd: 1, n: 10 }))).toBe(
      'STATS_DEGENERATE',
    );
  });

  it('empty group', () => {
    expect(code(() => studentT([], [1, 2]))).toBe('STATS_DEGENERATE');
  });

  it('zero variance', () => {
    expect(code(() => oneSampleT([2, 2, 2], 1))).toBe('STATS_DEGENERATE');
    expect(code(() => pairedT([1, 2, 3], [0, 1, 2]))).toBe('STATS_DEGENERATE');
    expect(code(() => welchFromSummary({ mean: 1, sd: 0, n: 5 }, { mean: 2, sd: 0, n: 5 }))).toBe('STATS_DEGENERATE');
    // One constant group is fine for Welch when the other varies.
    expect(welchFromSummary({ mean: 1, sd: 0, n: 5 }, { mean: 2, sd: 1, n: 5 }).df).toBe(4);
  });

  it('non-finite or malformed numbers', () => {
    expect(code(() => oneSampleT([1, NaN, 3]))).toBe('STATS_INPUT_INVALID');
    expect(code(() => oneSampleT([1, Infinity, 3]))).toBe('STATS_INPUT_INVALID');
    expect(code(() => oneSampleT([1, 2, 3], NaN))).toBe('STATS_INPUT_INVALID');
    expect(code(() => welchFromSummary({ mean: 1, sd: -1, n: 5 }, { mean: 2, sd: 1, n: 5 }))).toBe(
      'STATS_INPUT_INVALID',
    );
    expect(code(() => welchFromSummary({ mean: 1, sd: 1, n: 5.5 }, { mean: 2, sd: 1, n: 5 }))).toBe(
      'STATS_INPUT_INVALID',
    );
    expect(code(() => oneSampleT('1,2,3' as unknown as number[]))).toBe('STATS_INPUT_INVALID');
    expect(code(() => oneSampleT([1, 2, 3], 0, { level: 95 }))).toBe('STATS_INPUT_INVALID');
  });

  it('paired data of unequal length', () => {
    expect(code(() => pairedT([1, 2, 3], [1, 2]))).toBe('STATS_DEGENERATE');
  });
});

describe('ANOVA', () => {
  it('fewer than 2 groups, empty or constant groups', () => {
    expect(code(() => oneWayAnova(['a', 'a', 'a'], [1, 2, 3]))).toBe('STATS_DEGENERATE');
    expect(
      code(() =>
        anovaFromSummary([
          { mean: 1, sd: 1, n: 0 },
          { mean: 2, sd: 1, n: 3 },
        ]),
      ),
    ).toBe('STATS_DEGENERATE');
    expect(code(() => oneWayAnova(['a', 'a', 'b', 'b'], [1, 1, 2, 2]))).toBe('STATS_DEGENERATE');
    expect(
      code(() =>
        welchAnovaFromSummary([
          { mean: 1, sd: 0, n: 3 },
          { mean: 2, sd: 1, n: 3 },
        ]),
      ),
    ).toBe('STATS_DEGENERATE');
    expect(code(() => oneWayAnova(['a', 'b'], [1, 2, 3]))).toBe('STATS_INPUT_INVALID');
  });
});

describe('correlation, reliability, agreement', () => {
  it('correlation', () => {
    expect(code(() => pearsonCorrelation([1, 2], [2, 3]))).toBe('STATS_DEGENERATE');
    expect(code(() => pearsonCorrelation([1, 1, 1, 1], [2, 3, 4, 5]))).toBe('STATS_DEGENERATE');
    expect(code(() => pearsonCorrelation([1, 2, 3, 4], [2, 4, 6, 8]))).toBe('STATS_DEGENERATE');
    expect(code(() => spearmanCorrelation([1, 2, 3], [1, 2]))).toBe('STATS_DEGENERATE');
    expect(pearsonCorrelation([1, 2, 3], [2, 1, 4]).ci).toBeNull(); // R gives no CI for n = 3
  });

  it('Cronbach and kappa', () => {
    expect(code(() => cronbachAlpha([[1, 2]]))).toBe('STATS_DEGENERATE');
    expect(code(() => cronbachAlpha([[1], [2]]))).toBe('STATS_DEGENERATE');
    expect(
      code(() =>
        cronbachAlpha([
          [1, 2],
          [1, 2],
          [1, 2],
        ]),
      ),
    ).toBe('STATS_DEGENERATE');
    expect(
      code(() =>
        cronbachAlpha([
          [1, 2],
          [2, NaN],
        ]),
      ),
    ).toBe('STATS_INPUT_INVALID');
    expect(code(() => cohenKappa(['a', 'a'], ['a', 'a']))).toBe('STATS_DEGENERATE');
    expect(code(() => cohenKappa(['a', 'b'], ['a']))).toBe('STATS_INPUT_INVALID');
  });

  it('a constant item gives null item statistics, not NaN', () => {
    const r = cronbachAlpha([
      [1, 2, 3],
      [2, 2, 4],
      [3, 2, 5],
      [4, 2, 3],
    ]);
    expect(r.correctedItemTotalR[1]).toBeNull();
    expect(Number.isFinite(r.alpha)).toBe(true);
    expect(
      cronbachAlpha([
        [1, 2],
        [2, 4],
        [3, 3],
      ]).alphaIfDeleted,
    ).toEqual([null, null]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from './expected.ts';

const curve: ExpectedCurve = {
  method: 'mixed-model', instrumentId: 'phq9', scaleId: 'total', intakeCentre: 15,
  fixed: [15.5, -3, 0.9, -0.1], clientCov: [[4, -0.5], [-0.5, 1]], therapistVar: 0.3, residualVar: 5, z: 1.645,
  fittedAt: '2026-01-01', dataWindow: { from: '2024-01-01', to: '2026-01-01', episodes: 500, measurements: 6000, therapists: 24 },
};

describe('expected course', () => {
  it('computes the mean and the tolerance band by hand', () => {
    const f = Math.log(5);
    const point = expectedAt(curve, 17, 4);
    expect(point.mean).toBeCloseTo(15.5 - 3 * f + 0.9 * 2 - 0.1 * f * 2, 12);
    const sd = Math.sqrt(4 - 2 * 0.5 * f + f * f + 0.3 + 5);
    expect(point.upper - point.mean).toBeCloseTo(1.645 * sd, 12);
    expect(point.mean - point.lower).toBeCloseTo(1.645 * sd, 12);
  });
  it('falls back to the documented rule below the data minimum', () => {
    expect(ruleBasedExpectation(16, 2, true)).toBeNull();
    expect(ruleBasedExpectation(16, 3, true)).toMatchObject({ upper: 15.5, method: 'rule-based' });
  });
});

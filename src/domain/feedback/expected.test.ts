import { describe, expect, it } from 'vitest';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from './expected.ts';

const curve: ExpectedCurve = {
  method: 'mixed-model',
  instrumentId: 'phq9',
  scaleId: 'total',
  beta: [2, -3, 0.9, -0.1],
  covariances: {
    patient: [
      [4, -0.5],
      [-0.5, 1],
    ],
    therapist: 0.3,
    residual: 5,
  } as ExpectedCurve['covariances'],
  vcov: [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ],
  coverage: 0.9,
  fit: { criterion: 0, converged: true, iterations: 1, icc: 0.05, sigma: 2, varcomp: [] },
  fittedAt: '2026-01-01',
  dataWindow: { from: '2024-01-01', to: '2026-01-01', episodes: 500, measurements: 6000, therapists: 24 },
};

describe('expected course', () => {
  it('computes the mean and the 90% tolerance band by hand', () => {
    const f = Math.log(5);
    const point = expectedAt(curve, 17, 4);
    expect(point.mean).toBeCloseTo(2 - 3 * f + 0.9 * 17 - 0.1 * f * 17, 12);
    const sd = Math.sqrt(4 - 2 * 0.5 * f + f * f + 0.3 + 5);
    expect(point.upper - point.mean).toBeCloseTo(1.6448536269514722 * sd, 10);
    expect(point.mean - point.lower).toBeCloseTo(1.6448536269514722 * sd, 10);
  });
  it('falls back to the documented rule below the data minimum', () => {
    expect(ruleBasedExpectation(16, 2, true)).toBeNull();
    expect(ruleBasedExpectation(16, 3, true)).toMatchObject({ upper: 15.5, method: 'rule-based' });
  });
});

import { describe, expect, it } from 'vitest';
import { minimizeBounded } from './optimize.ts';
import { profileInterval, CHISQ1_95 } from './profile.ts';

describe('minimizeBounded', () => {
  it('finds an interior minimum of a curved valley (Rosenbrock)', () => {
    const f = (x: number[]) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = minimizeBounded(f, [-1.2, 1], { lower: [-Infinity, -Infinity] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.activeBounds).toEqual([]);
  });

  it('stops exactly on a bound when the minimum lies beyond it', () => {
    const f = (x: number[]) => (x[0] + 1) ** 2 + (x[1] - 2) ** 2 + 0.5 * x[0] * x[1];
    const r = minimizeBounded(f, [1, 1], { lower: [0, 0] });
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBeCloseTo(2, 7);
    expect(r.activeBounds).toEqual([0]);
    expect(r.converged).toBe(true);
  });

  it('lands on zero for an even criterion whose minimum is at θ = 0 (a zero variance)', () => {
    const f = (x: number[]) => Math.log1p(3 * x[0] ** 2) + (x[1] - 0.5) ** 2 + x[0] ** 4;
    const r = minimizeBounded(f, [1, 1], { lower: [0, 0] });
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBeCloseTo(0.5, 7);
    expect(r.converged).toBe(true);
  });

  it('leaves θ = 0 when it is a stationary point but not a minimum', () => {
    // Even in θ with a maximum at 0 and the minimum at θ = 1.
    const f = (x: number[]) => (x[0] ** 2 - 1) ** 2;
    const r = minimizeBounded(f, [0], { lower: [0] });
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.converged).toBe(true);
  });

  it('reports non-convergence when the budget runs out', () => {
    const f = (x: number[]) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = minimizeBounded(f, [-1.2, 1], { lower: [-Infinity, -Infinity], maxEvaluations: 20 });
    expect(r.converged).toBe(false);
  });
});

describe('profile helpers', () => {
  it('profileInterval brackets θ̂ at the χ²₁ cut-off and clamps at 0', () => {
    const crit = (t: number) => 10 * (t - 1) ** 2;
    const [lo, hi] = profileInterval(crit, 1, 0);
    expect(crit(lo)).toBeCloseTo(CHISQ1_95, 9);
    expect(crit(hi)).toBeCloseTo(CHISQ1_95, 9);
    expect(profileInterval((t) => (t - 0.1) ** 2, 0.1, 0)[0]).toBe(0);
  });
});

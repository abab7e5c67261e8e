/** Sufficient-statistics builders: order invariance, numerical stability, the SQL-shaped entry points. */
import { describe, expect, it } from 'vitest';
import { buildGrowthStats, growthStatsFromSums, type GrowthRow, type PatientSums } from './growth-stats.ts';
import { buildInterceptStats, interceptStatsFromGroups, type InterceptRow } from './intercept-stats.ts';
import { compressGrowth, growthCriterion } from './growth-model.ts';
import { fitGrowthModel, fitInterceptModel, prepareGrowth, prepareIntercept } from './fit.ts';
import { interceptCriterion } from './intercept-model.ts';
import { SpiegelError } from '../../errors.ts';

/** Small deterministic data set from the growth model (LCG + Box–Muller). */
function simulate(P = 120, J = 12, offsetY = 0, offsetX = 0): GrowthRow[] {
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const n = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const th = Array.from({ length: J }, () => n());
  const rows: GrowthRow[] = [];
  for (let i = 0; i < P; i++) {
    const j = i % J;
    const ic = 6 * n();
    const r0 = 4 * n();
    const r1 = 0.5 * n();
    const ns = 2 + Math.floor(u() * 10);
    for (let t = 0; t < ns; t++) {
      const y = 24 - 1.2 * t + 0.8 * ic + th[j] + r0 + r1 * t + 3 * n();
      const x = ic + offsetX;
      rows.push({ therapist: `T${j}`, patient: `P${i}`, t, x: [1, t, x, t * x], y: y + offsetY });
    }
  }
  return rows;
}
const COLS = ['(Intercept)', 'session', 'intake', 'session:intake'];
const full = { slope: true, therapist: true };
const theta = [1.2, -0.05, 0.15, 0.3];

describe('growth statistics', () => {
  const rows = simulate();
  const base = growthCriterion(prepareGrowth(buildGrowthStats(rows, COLS, 'y'), full), 'REML').evaluate(theta);

  it('do not depend on row order', () => {
    const shuffled = [...rows].reverse();
    const c = growthCriterion(prepareGrowth(buildGrowthStats(shuffled, COLS, 'y'), full), 'REML').evaluate(theta);
    expect(Math.abs(c - base) / base).toBeLessThan(1e-13);
  });

  it('keep their digits when the response sits far from zero (centring)', () => {
    // y + 1e7 changes only the intercept; raw sums of squares would lose ~14 digits here.
    const shifted = simulate(120, 12, 1e7);
    const stats = buildGrowthStats(shifted, COLS, 'y');
    const c = growthCriterion(prepareGrowth(stats, full), 'REML').evaluate(theta);
    expect(Math.abs(c - base) / base).toBeLessThan(1e-10);
  });

  it('give the same slopes when a covariate is shifted (only the intercept moves)', () => {
    const a = fitGrowthModel(buildGrowthStats(rows, COLS, 'y'));
    const b = fitGrowthModel(buildGrowthStats(simulate(120, 12, 0, 1000), COLS, 'y'));
    expect(Math.abs(a.criterion - b.criterion)).toBeLessThan(1e-6);
    expect(b.fixed[1].estimate).toBeCloseTo(a.fixed[1].estimate - 1000 * a.fixed[3].estimate, 6);
    expect(b.fixed[2].estimate).toBeCloseTo(a.fixed[2].estimate, 8);
    expect(b.fixed[2].se).toBeCloseTo(a.fixed[2].se, 9);
  });

  it('can be assembled from per-patient sums, as a SQL GROUP BY gives them', () => {
    const shift = [0, 4, 0, 0, 20];
    const byPatient = new Map<string, PatientSums & { sw: number[]; stw: number[] }>();
    const wtw = new Array<number>(25).fill(0);
    for (const r of rows) {
      const w = [...Array.from(r.x), r.y].map((v, k) => v - shift[k]);
      const key = String(r.patient);
      const p = byPatient.get(key) ?? {
        therapist: r.therapist,
        patient: r.patient,
        n: 0,
        st: 0,
        stt: 0,
        sw: [0, 0, 0, 0, 0],
        stw: [0, 0, 0, 0, 0],
      };
      p.n++;
      p.st += r.t;
      p.stt += r.t * r.t;
      w.forEach((v, k) => {
        p.sw[k] += v;
        p.stw[k] += r.t * v;
        w.forEach((v2, l) => (wtw[k * 5 + l] += v * v2));
      });
      byPatient.set(key, p);
    }
    const stats = growthStatsFromSums({ columns: COLS, response: 'y', patients: byPatient.values(), wtw, shift });
    const c = growthCriterion(prepareGrowth(stats, full), 'REML').evaluate(theta);
    expect(Math.abs(c - base) / base).toBeLessThan(1e-12);
    expect(() => growthStatsFromSums({ columns: COLS, response: 'y', patients: [], wtw: [1] })).toThrow(SpiegelError);
  });

  it('merge patients with the same session pattern without changing the criterion', () => {
    const stats = buildGrowthStats(rows, COLS, 'y');
    const prob = compressGrowth(stats, full);
    expect(prob.pn.length).toBeLessThan(prob.nPatients);
    expect(prob.pcount.reduce((a, b) => a + b, 0)).toBe(prob.nPatients);
  });

  it('refuse patients that move between therapists, and non-finite values', () => {
    const bad: GrowthRow[] = [
      { therapist: 'A', patient: 'p', t: 0, x: [1, 0, 0, 0], y: 1 },
      { therapist: 'B', patient: 'p', t: 1, x: [1, 1, 0, 0], y: 2 },
    ];
    expect(() => buildGrowthStats(bad, COLS, 'y')).toThrow(/patient 'p' appears under therapists 'A' and 'B'/);
    expect(() =>
      buildGrowthStats([{ therapist: 'A', patient: 'p', t: 0, x: [1, 0, NaN, 0], y: 1 }], COLS, 'y'),
    ).toThrow(/non-finite value in column 'intake'/);
  });

  it('refuse models the data cannot identify', () => {
    const one = rows.filter((r) => r.therapist === 'T0');
    expect(() => fitGrowthModel(buildGrowthStats(one, COLS, 'y'))).toThrow(/at least 2 therapists/);
    const flat = rows.map((r) => ({ ...r, t: 0 }));
    expect(() => fitGrowthModel(buildGrowthStats(flat, COLS, 'y'))).toThrow(/does not vary within any patient/);
    const collinear = rows.map((r) => ({ ...r, x: [1, r.t, 2 * r.t, 0] }));
    expect(() => fitGrowthModel(buildGrowthStats(collinear, COLS, 'y'))).toThrow(/rank deficient/);
  });
});

describe('random-intercept statistics', () => {
  const rows: InterceptRow[] = simulate().map((r) => ({ group: r.therapist, x: [1, r.x[2]], y: r.y }));
  const cols = ['(Intercept)', 'intake'];

  it('equal those assembled from group means and a pooled within cross-product', () => {
    const stats = buildInterceptStats(rows, cols, 'y');
    const groups = stats.groupIds.map((g, j) => ({
      group: g,
      n: stats.n[j],
      mean: Array.from(stats.mean.slice(j * 3, j * 3 + 3)),
    }));
    const again = interceptStatsFromGroups({ columns: cols, response: 'y', groups, within: stats.within });
    const a = interceptCriterion(prepareIntercept(stats), 'ML').evaluate([0.3]);
    const b = interceptCriterion(prepareIntercept(again), 'ML').evaluate([0.3]);
    expect(b).toBe(a);
  });

  it('keep their digits far from zero and reproduce the fit', () => {
    const far = rows.map((r) => ({ ...r, y: r.y + 1e8 }));
    const a = fitInterceptModel(buildInterceptStats(rows, cols, 'y'));
    const b = fitInterceptModel(buildInterceptStats(far, cols, 'y'));
    expect(Math.abs(a.criterion - b.criterion) / a.criterion).toBeLessThan(1e-10);
    expect(b.fixed[1].estimate).toBeCloseTo(a.fixed[1].estimate, 8);
    expect(b.fixed[0].estimate - 1e8).toBeCloseTo(a.fixed[0].estimate, 5);
  });

  it('refuse a single group', () => {
    const one = rows.map((r) => ({ ...r, group: 'same' }));
    expect(() => fitInterceptModel(buildInterceptStats(one, cols, 'y'))).toThrow(/at least 2 groups/);
  });
});

/** Consistency checks between the raw-data and summary-statistics paths. R agreement is in cases.test.ts. */
import { isStatError } from './parts.ts';
import { describe, expect, it } from 'vitest';
import { anovaFromSummary, oneWayAnova, welchAnovaFromSummary } from './anova.ts';
import { ranks, sd, summarize } from './descriptive.ts';
import { oneSampleT, pairedT, studentT, welchFromSummary, welchT } from './ttest.ts';

const x = [12.1, 9.8, 11.4, 10.2, 13.0, 9.9, 11.7];
const y = [10.4, 9.1, 10.0, 8.7, 11.2, 9.5];

describe('raw and summary paths agree', () => {
  it('Welch t', () => {
    expect(welchT(x, y)).toEqual(welchFromSummary(summarize(x), summarize(y)));
  });

  it('paired t is the one-sample t of the differences', () => {
    const a = x.slice(0, 6);
    const p = pairedT(a, y);
    const o = oneSampleT(a.map((v, i) => v - y[i]));
    expect(p.t).toBeCloseTo(o.t, 14);
    expect(p.p).toBeCloseTo(o.p, 14);
  });

  it('ANOVA with two groups is Student t squared, and Welch ANOVA is Welch t squared', () => {
    const labels = [...x.map(() => 'x'), ...y.map(() => 'y')];
    const r = oneWayAnova(labels, [...x, ...y]);
    if (isStatError(r.welch)) throw new Error('Welch is defined here');
    expect(r.classic.F).toBeCloseTo(studentT(x, y).t ** 2, 12);
    expect(r.classic.p).toBeCloseTo(studentT(x, y).p, 14);
    expect(r.welch.F).toBeCloseTo(welchT(x, y).t ** 2, 12);
    expect(r.welch.df2).toBeCloseTo(welchT(x, y).df, 12);
    const summaries = r.groups.map(({ mean, sd: s, n }) => ({ mean, sd: s, n }));
    expect(anovaFromSummary(summaries).F).toBeCloseTo(r.classic.F, 12);
    expect(welchAnovaFromSummary(summaries).F).toBeCloseTo(r.welch.F, 12);
  });

  it('CI level is honoured', () => {
    const r90 = welchT(x, y, { level: 0.9 });
    const r95 = welchT(x, y);
    expect(r90.ci[1] - r90.ci[0]).toBeLessThan(r95.ci[1] - r95.ci[0]);
    expect(r90.level).toBe(0.9);
  });
});

describe('descriptives', () => {
  it('average ranks for ties', () => {
    expect(ranks([3, 1, 3, 2, 3])).toEqual([4, 1, 4, 2, 4]);
  });

  it('two-pass SD keeps digits with a large offset', () => {
    const base = [1, 2, 3, 4, 5];
    expect(sd(base.map((v) => v + 1e9))).toBeCloseTo(sd(base), 6);
  });
});

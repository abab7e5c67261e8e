/**
 * Seed 000 (tears of the therapist, 819 Dutch therapists) reports t-tests from SPSS. From its
 * published summary statistics we recover its conventions: Welch's t where df is fractional or
 * far below n1 + n2 − 2, and d = 2t/√df, not the pooled-SD d. Published figures are rounded, so each
 * is checked against its rounding interval, and against the range the rounded inputs allow.
 */
import { describe, expect, it } from 'vitest';
import { apaT } from './apa.ts';
import { cohenD, dFromT } from './effectsize.ts';
import { normComparison } from './norms.ts';
import { studentFromSummary, welchFromSummary } from './ttest.ts';

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

describe('seed 000: therapists versus the Dutch population norm (crying proneness)', () => {
  // "Vergeleken met een Nederlandse normgroep van 1891 mensen (M=2.55, sd=1.86) hebben therapeuten
  //  een aanzienlijk grotere zelf-gerapporteerde neiging om te huilen (M=5.30, sd=2.18)
  //  (t(1352)=31.42, p<.001, d=1.71)." N therapists = 819.
  const therapists = { mean: 5.3, sd: 2.18, n: 819 };
  const population = { mean: 2.55, sd: 1.86, n: 1891 };
  const published = { t: 31.42, df: 1352, d: 1.71 };
  const result = normComparison(therapists, population);

  it('gives Welch t(1356.75) = 31.48 from the published summaries (R: same to 1e-13)', () => {
    expect(result.welch.t).toBeCloseTo(31.4780616755072, 10);
    expect(result.welch.df).toBeCloseTo(1356.75065208453, 8);
    expect(result.welch.p).toBeLessThan(1e-160);
  });

  it('matches the published d = 1.71 only as d = 2t/√df', () => {
    expect(round(result.dFromT, 2)).toBe(published.d);
    expect(round(result.cohenD, 2)).toBe(1.4); // pooled-SD d would have been reported as 1.40
  });

  it('puts the published t and df inside what the rounded inputs allow', () => {
    const ts: number[] = [];
    const dfs: number[] = [];
    for (const s1 of [2.175, 2.185])
      for (const s2 of [1.855, 1.865])
        for (const shift of [-0.005, 0.005]) {
          const r = welchFromSummary(
            { ...therapists, mean: 5.3 + shift, sd: s1 },
            { ...population, mean: 2.55 - shift, sd: s2 },
          );
          ts.push(r.t);
          dfs.push(r.df);
        }
    expect(Math.min(...ts)).toBeLessThan(published.t);
    expect(Math.max(...ts)).toBeGreaterThan(published.t);
    expect(Math.min(...dfs)).toBeLessThan(published.df);
    expect(Math.max(...dfs)).toBeGreaterThan(published.df);
    // Student's t would give df 2708 and t 33.5: not what the paper did.
    expect(studentFromSummary(therapists, population).df).toBe(2708);
  });

  it('reports it APA style in English and Dutch', () => {
    const r = { t: result.welch.t, df: result.welch.df, p: result.welch.p, d: result.dFromT };
    expect(apaT(r, 'en')).toBe('t(1356.75) = 31.48, p < .001, d = 1.71');
    expect(apaT(r, 'nl')).toBe('t(1356,75) = 31,48, p < ,001, d = 1,71');
  });
});

describe('seed 000: the other published t-tests follow the same conventions', () => {
  it('female vs male therapists: Student t(817) = 7.62 (published 7.65), d = 2t/√df = .53', () => {
    // "Vrouwelijke therapeuten ... 5.62 (sd=2.11), ... mannelijke collega's ... 4.32 (sd=2.12)
    //  (t(817)=-7,65, p<.001, d=.53)"; 615 women, 204 men.
    const women = { mean: 5.62, sd: 2.11, n: 615 };
    const men = { mean: 4.32, sd: 2.12, n: 204 };
    const s = studentFromSummary(women, men);
    expect(s.df).toBe(817);
    expect(round(s.t, 2)).toBe(7.62);
    // The means are rounded to 0.01: a difference of 1.31 instead of 1.30 gives t above 7.65.
    const high = studentFromSummary({ ...women, mean: 5.625, sd: 2.105 }, { ...men, mean: 4.315, sd: 2.115 });
    expect(high.t).toBeGreaterThan(7.65);
    expect(round(dFromT(s.t, s.df), 2)).toBe(0.53);
    expect(round(cohenD(women, men), 2)).toBe(0.62); // the pooled d would read .62
  });

  it('women vs men in the population norm: Welch t(1207.3) = 18.80, d = 1.08', () => {
    // "vrouwen (N=765, M=3.50, sd=2.07) ... mannen (N=1126, M=1.90, sd=1.36), (t(1205)=-18.80, p<.001, d=-1.08)"
    const w = welchFromSummary({ mean: 3.5, sd: 2.07, n: 765 }, { mean: 1.9, sd: 1.36, n: 1126 });
    expect(round(w.t, 2)).toBe(18.8);
    expect(Math.abs(w.df - 1205)).toBeLessThan(5);
    expect(round(dFromT(w.t, w.df), 2)).toBe(1.08);
  });

  it('a yes/no item, men vs women: Welch t(321.81) = 2.54, d = .28, exactly as published', () => {
    // "De 204 mannelijke therapeuten ... (34.8%) vergeleken met hun 615 vrouwelijke collega's (25.2%)
    //  (t(321.81)=-2.54, p<.05, d=-.28)": 71/204 and 155/615, SD of a 0/1 item with n − 1.
    const binary = (k: number, n: number): { mean: number; sd: number; n: number } => {
      const p = k / n;
      return { mean: p, sd: Math.sqrt((p * (1 - p) * n) / (n - 1)), n };
    };
    const w = welchFromSummary(binary(71, 204), binary(155, 615));
    expect(round(w.df, 2)).toBe(321.81);
    expect(round(w.t, 2)).toBe(2.54);
    expect(w.p).toBeLessThan(0.05);
    expect(round(dFromT(w.t, w.df), 2)).toBe(0.28);
  });
});

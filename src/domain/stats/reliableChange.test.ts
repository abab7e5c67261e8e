import { describe, expect, it } from 'vitest';
import { classifyChange, clinicalCutoff, reliableChange, standardErrorOfDifference } from './reliableChange.ts';
import { normComparison, percentile, zScore } from './norms.ts';

describe('Jacobson–Truax reliable change', () => {
  it('S_diff = SD·√2·√(1 − r), RC = (post − pre)/S_diff', () => {
    const r = reliableChange({ sd: 5, reliability: 0.89, pre: 18, post: 9 });
    expect(r.sDiff).toBeCloseTo(5 * Math.SQRT2 * Math.sqrt(0.11), 14);
    expect(r.rc).toBeCloseTo(-9 / r.sDiff, 14);
    expect(r.thresholdRawChange).toBeCloseTo(1.96 * r.sDiff, 14);
    expect(r.reliable).toBe(true);
  });

  it('rejects a reliability of 1 or outside [0, 1)', () => {
    expect(() => reliableChange({ sd: 5, reliability: 1, pre: 1, post: 2 })).toThrow(
      /reliability must be between 0 and 1/,
    );
    expect(() => reliableChange({ sd: 0, reliability: 0.8, pre: 1, post: 2 })).toThrow(/sd must be greater than 0/);
  });
});

describe('cut-offs', () => {
  const dysfunctional = { mean: 20, sd: 6 };
  const functional = { mean: 8, sd: 4 };

  it('c = (SD0·M1 + SD1·M0)/(SD0 + SD1)', () => {
    expect(clinicalCutoff({ dysfunctional, functional, higherIsWorse: true })).toEqual({
      value: (6 * 8 + 4 * 20) / 10,
      criterion: 'c',
    });
  });

  it('a and b with one norm group, in the direction of health', () => {
    expect(clinicalCutoff({ dysfunctional, higherIsWorse: true })).toEqual({ value: 8, criterion: 'a' });
    expect(clinicalCutoff({ functional, higherIsWorse: true })).toEqual({ value: 16, criterion: 'b' });
    expect(clinicalCutoff({ dysfunctional, higherIsWorse: false }).value).toBe(32);
    expect(clinicalCutoff({ functional, higherIsWorse: false }).value).toBe(0);
  });

  it('refuses a criterion without its norm group', () => {
    expect(() => clinicalCutoff({ functional, higherIsWorse: true, criterion: 'c' })).toThrow(/needs both/);
  });
});

describe('classes', () => {
  const base = { sd: 6, reliability: 0.9, higherIsWorse: true, cutoff: 12.8 };
  it.each([
    [20, 10, 'recovered'],
    [25, 16, 'improved'],
    [12, 5, 'improved'], // started in the functional range: improved, not recovered
    [20, 13, 'improved'], // reliable (threshold 5.26) but still above the cut-off
    [20, 15, 'unchanged'],
    [10, 5, 'unchanged'],
    [10, 18, 'deteriorated'],
  ])('pre %d → post %d is %s (higher is worse)', (pre, post, cls) => {
    expect(classifyChange({ ...base, pre, post }).class).toBe(cls);
  });

  it('mirrors when higher is better', () => {
    expect(classifyChange({ ...base, higherIsWorse: false, pre: 10, post: 20 }).class).toBe('recovered');
    expect(classifyChange({ ...base, higherIsWorse: false, pre: 20, post: 10 }).class).toBe('deteriorated');
  });

  it('without a cut-off there is no recovered', () => {
    const r = classifyChange({ sd: 6, reliability: 0.9, higherIsWorse: true, pre: 20, post: 5 });
    expect(r.class).toBe('improved');
    expect(r.postFunctional).toBeNull();
  });
});

describe('norms', () => {
  it('z-score and normal percentile', () => {
    expect(zScore(5.3, { mean: 2.55, sd: 1.86 })).toBeCloseTo(1.478494623655914, 14);
    expect(percentile(2.55, { mean: 2.55, sd: 1.86 })).toBe(50);
    expect(percentile(2.55 + 1.96 * 1.86, { mean: 2.55, sd: 1.86 })).toBeCloseTo(97.5, 2);
  });

  it('group vs norm gives Welch, d from t and pooled d', () => {
    const r = normComparison({ mean: 30.44, sd: 3.83, n: 819 }, { mean: 29.29, sd: 3.78, n: 5371 });
    expect(r.welch.method).toBe('welch');
    expect(r.dFromT).toBeCloseTo((2 * r.welch.t) / Math.sqrt(r.welch.df), 14);
    expect(r.cohenD).toBeGreaterThan(0);
  });
});

describe('one cut-off rule for stats and feedback', () => {
  it('a score exactly at the cut-off has not passed it, in both directions and in both modules', async () => {
    const { assessChange } = await import('../feedback/reliable-change.ts');
    for (const higherIsWorse of [true, false]) {
      const cutoff = 20;
      const pre = higherIsWorse ? 30 : 10;
      const post = cutoff;
      const stats = classifyChange({ pre, post, sd: 4, reliability: 0.8, higherIsWorse, cutoff });
      const feedback = assessChange(pre, post, {
        reliability: { value: 0.8, source: 'test' },
        sd: { value: 4, source: 'test', basis: 'declared' },
        sDiff: standardErrorOfDifference(4, 0.8),
        minimumReliableChange: null,
        publishedReliableChange: null,
        cutoff: { value: cutoff, method: 'published', source: 'test' },
        clinicalNorm: null,
        nonClinicalNorm: null,
        direction: higherIsWorse ? 'higher-is-worse' : 'higher-is-better',
      } as never);
      expect(stats.class).toBe('improved');
      expect(feedback.class).toBe(stats.class);
      expect(feedback.postClinical).toBe(!stats.postFunctional);
    }
  });
});

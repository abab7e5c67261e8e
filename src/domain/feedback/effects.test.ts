import { describe, expect, it } from 'vitest';
import { effectHistogram, estimatesFrom, reportAllowed } from './effects.ts';
import type { MixedFit } from '../stats/mixed/types.ts';

describe('therapist estimates', () => {
  const fit = {
    therapistEffects: [
      { therapist: 'a', blup: -1.5, cond_sd: 0.5, n: 20 },
      { therapist: 'b', blup: 0.4, cond_sd: 0.5, n: 20 },
      { therapist: 'c', blup: 1.2, cond_sd: 0.4, n: 30 },
    ],
  } as unknown as MixedFit;

  it('calls a therapist more or less effective only when the 95% interval excludes zero', () => {
    const e = estimatesFrom(fit, new Map(), 'higher-is-worse');
    expect(e.map((x) => x.verdict)).toEqual(['more_effective', 'not_distinguishable', 'less_effective']);
    expect(e[0].upper).toBeCloseTo(-1.5 + 1.959963984540054 * 0.5, 12);
    expect(estimatesFrom(fit, new Map(), 'higher-is-better')[0].verdict).toBe('less_effective');
  });

  it('bins effects without identities', () => {
    expect(effectHistogram([-1.5, 0.4, 1.2, 0.3])).toEqual([
      { from: -1.5, to: -1, count: 1 },
      { from: -1, to: -0.5, count: 0 },
      { from: -0.5, to: 0, count: 0 },
      { from: 0, to: 0.5, count: 2 },
      { from: 0.5, to: 1, count: 0 },
      { from: 1, to: 1.5, count: 1 },
    ]);
  });

  it('needs five eligible therapists for a report', () => {
    expect(reportAllowed({ eligibleTherapists: 4 })).toBe(false);
    expect(reportAllowed({ eligibleTherapists: 5 })).toBe(true);
  });
});

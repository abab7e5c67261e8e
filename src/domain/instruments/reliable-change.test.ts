import { describe, expect, it } from 'vitest';
import { inClinicalRange, reliableChangeParameters } from './reliable-change.ts';
import type { NormGroup, ScaleSpec } from './scoring-spec.ts';

const norm = (mean: number, sd: number, group: string): NormGroup => ({ group, label: { en: group }, mean, sd, n: null, source: `${group} source` });

/** The fields reliableChangeParameters reads; the rest of a scale does not matter here. */
function scale(fields: Partial<ScaleSpec>): ScaleSpec {
  return { direction: 'higher-is-worse', cutoff: null, reliability: null, sd: null, clinical: null, nonClinical: null, reliableChange: null, ...fields } as ScaleSpec;
}

describe('reliable-change parameters of a scale (Jacobson & Truax 1991)', () => {
  it('computes S_diff = SD·√2·√(1−r) and 1.96·S_diff from the declared SD', () => {
    const p = reliableChangeParameters(scale({ sd: { value: 5, source: 's' }, reliability: { value: 0.84, source: 'r', kind: 'alpha' } }));
    expect(p.sDiff).toBeCloseTo(2.828427, 6); // 5 · 1.414214 · 0.4
    expect(p.minimumReliableChange).toBeCloseTo(5.543717, 6);
    expect(p.sd?.basis).toBe('declared');
  });

  it('falls back to the clinical norm SD, and has no S_diff without a reliability', () => {
    const withNorm = reliableChangeParameters(scale({ clinical: norm(20, 5, 'clinical'), reliability: { value: 0.84, source: 'r', kind: 'alpha' } }));
    expect(withNorm.sd?.basis).toBe('clinical-norm');
    expect(withNorm.sDiff).toBeCloseTo(2.828427, 6);
    expect(reliableChangeParameters(scale({ sd: { value: 5, source: 's' } })).sDiff).toBeNull();
  });

  it('takes cut-off c from both norm groups, else the published one, else a or b, in the direction of the scale', () => {
    const both = reliableChangeParameters(scale({ clinical: norm(20, 5, 'clinical'), nonClinical: norm(5, 3, 'general'), cutoff: { value: 10, source: 'p' } }));
    expect(both.cutoff).toEqual({ value: 10.625, method: 'jacobson-truax-c', source: 'clinical source; general source' }); // (3·20 + 5·5)/8
    expect(reliableChangeParameters(scale({ clinical: norm(20, 5, 'clinical'), cutoff: { value: 9, source: 'p' } })).cutoff).toMatchObject({ value: 9, method: 'published' });
    expect(reliableChangeParameters(scale({ clinical: norm(20, 5, 'clinical') })).cutoff).toMatchObject({ value: 10, method: 'jacobson-truax-a' });
    expect(reliableChangeParameters(scale({ nonClinical: norm(5, 3, 'general') })).cutoff).toMatchObject({ value: 11, method: 'jacobson-truax-b' });
    expect(reliableChangeParameters(scale({ direction: 'higher-is-better', clinical: norm(20, 5, 'clinical') })).cutoff?.value).toBe(30);
    expect(reliableChangeParameters(scale({ direction: 'higher-is-better', nonClinical: norm(50, 3, 'general') })).cutoff?.value).toBe(44);
    expect(reliableChangeParameters(scale({})).cutoff).toBeNull();
  });

  it('places a score in the clinical range by the direction of the scale', () => {
    const worse = reliableChangeParameters(scale({ clinical: norm(20, 5, 'clinical'), nonClinical: norm(5, 3, 'general') }));
    expect([inClinicalRange(10.625, worse), inClinicalRange(10.6, worse)]).toEqual([true, false]);
    const better = reliableChangeParameters(scale({ direction: 'higher-is-better', cutoff: { value: 40, source: 'p' } }));
    // A score exactly at the cut-off has not passed it (one rule with domain/stats, issue 18).
    expect([inClinicalRange(40, better), inClinicalRange(40.5, better)]).toEqual([true, false]);
    expect(inClinicalRange(10, reliableChangeParameters(scale({ direction: 'none', cutoff: { value: 5, source: 'p' } })))).toBeNull();
  });
});

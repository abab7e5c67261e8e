import { describe, expect, it } from 'vitest';
import { assessChange } from './reliable-change.ts';
import { reliableChangeParameters } from '../instruments/reliable-change.ts';
import type { ScaleSpec } from '../instruments/scoring-spec.ts';

function scale(fields: Partial<ScaleSpec>): ScaleSpec {
  return {
    direction: 'higher-is-worse',
    cutoff: null,
    reliability: null,
    sd: null,
    clinical: null,
    nonClinical: null,
    reliableChange: null,
    ...fields,
  } as ScaleSpec;
}

// S_diff = 5·√2·√0.16 = 2.828; reliable from 5.54 points; cut-off 10.625 (c of 20±5 and 5±3).
const symptoms = reliableChangeParameters(
  scale({
    sd: { value: 5, source: 's' },
    reliability: { value: 0.84, source: 'r', kind: 'alpha' },
    clinical: { group: 'clinical', label: { en: 'clinical' }, mean: 20, sd: 5, n: null, source: 'c' },
    nonClinical: { group: 'general', label: { en: 'general' }, mean: 5, sd: 3, n: null, source: 'g' },
  }),
);

describe('assessChange (Jacobson & Truax classes)', () => {
  it('calls a reliable improvement across the cut-off recovered, and one that stays clinical improved', () => {
    const recovered = assessChange(20, 8, symptoms);
    expect(recovered).toMatchObject({
      improvement: 12,
      basis: 'rci',
      reliable: true,
      class: 'recovered',
      preClinical: true,
      postClinical: false,
    });
    expect(recovered.rci).toBeCloseTo(12 / 2.828427, 5);
    expect(assessChange(20, 14, symptoms)).toMatchObject({ reliable: true, class: 'improved', postClinical: true });
  });

  it('calls a change within 1.96·S_diff unchanged and a reliable worsening deteriorated', () => {
    expect(assessChange(20, 15, symptoms)).toMatchObject({ improvement: 5, reliable: false, class: 'unchanged' });
    expect(assessChange(10, 16, symptoms)).toMatchObject({ improvement: -6, reliable: true, class: 'deteriorated' });
  });

  it('uses the published threshold when there is no S_diff, and reports no RCI then', () => {
    const phq9Like = reliableChangeParameters(scale({ reliableChange: { value: 6, source: 'IAPT' } }));
    expect(assessChange(15, 9, phq9Like)).toMatchObject({
      rci: null,
      basis: 'published-threshold',
      reliable: true,
      class: 'improved',
    });
    expect(assessChange(15, 10, phq9Like)).toMatchObject({ reliable: false, class: 'unchanged' });
  });

  it('gives no class without a basis or without a direction', () => {
    expect(assessChange(15, 5, reliableChangeParameters(scale({})))).toMatchObject({
      basis: null,
      reliable: false,
      class: null,
    });
    expect(
      assessChange(
        15,
        5,
        reliableChangeParameters(scale({ direction: 'none', reliableChange: { value: 6, source: 'x' } })),
      ).class,
    ).toBeNull();
  });
});

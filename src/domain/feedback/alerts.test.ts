import { describe, expect, it } from 'vitest';
import { evaluateAlerts, DEFAULT_RULE_SETTINGS, type AlertInput, type OutcomeSeries } from './alerts.ts';
import { assessChange } from './reliable-change.ts';
import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';

// PHQ-9-like parameters: SD 5, r .89 → S_diff = 5·√2·√.11 ≈ 2.345, minimum reliable change ≈ 4.6.
const params: ReliableChangeParameters = {
  reliability: { value: 0.89, source: 'test', kind: 'alpha' },
  sd: { value: 5, source: 'test', basis: 'declared' },
  sDiff: 5 * Math.SQRT2 * Math.sqrt(0.11),
  minimumReliableChange: 1.96 * 5 * Math.SQRT2 * Math.sqrt(0.11),
  publishedReliableChange: null,
  cutoff: { value: 10, method: 'published', source: 'test' },
  clinicalNorm: null,
  nonClinicalNorm: null,
  direction: 'higher-is-worse',
};

function series(values: number[], expected: OutcomeSeries['expected'] = null): OutcomeSeries {
  return {
    instrumentId: 'phq9',
    instrumentName: { nl: 'PHQ-9', en: 'PHQ-9' },
    scaleId: 'total',
    params,
    points: values.map((value, i) => ({ session: i + 1, value })),
    expected,
  };
}

function input(partial: Partial<AlertInput>): AlertInput {
  return {
    participantId: 'p1',
    participantLabel: 'client',
    sessionNumber: 1,
    responseIds: ['r1'],
    risks: [],
    outcomes: [],
    alliance: null,
    rules: DEFAULT_RULE_SETTINGS,
    ...partial,
  };
}

describe('assessChange (Jacobson–Truax)', () => {
  it('classifies by RCI and cut-off', () => {
    expect(assessChange(16, 8, params).class).toBe('recovered');
    expect(assessChange(20, 13, params).class).toBe('improved');
    expect(assessChange(16, 13, params).class).toBe('unchanged');
    expect(assessChange(10, 16, params).class).toBe('deteriorated');
    expect(assessChange(16, 8, params).rci).toBeCloseTo(8 / params.sDiff!, 12);
  });
});

describe('evaluateAlerts', () => {
  it('raises an urgent risk alert with safety suggestions', () => {
    const alerts = evaluateAlerts(
      input({
        risks: [{ instrumentId: 'phq9', item: '/44260-8', answerScore: 2, label: { nl: 'gedachten', en: 'thoughts' } }],
      }),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'risk', severity: 'urgent', eventKey: 'r1:phq9:/44260-8' });
    expect(alerts[0].suggestions[0].en).toContain('safety');
  });

  it('flags a score above the expected band as not on track', () => {
    const alerts = evaluateAlerts(
      input({ sessionNumber: 3, outcomes: [series([18, 17, 18], { mean: 13, lower: 9, upper: 16, method: 'mixed' })] }),
    );
    expect(alerts.map((a) => a.rule)).toEqual(['not_on_track']);
    expect(alerts[0].reason.en).toContain('outside the expected band (9–16)');
    expect(alerts[0].reason.nl).toContain('buiten de verwachte band');
  });

  it('flags reliable deterioration once per participant and instrument', () => {
    const alerts = evaluateAlerts(input({ sessionNumber: 3, outcomes: [series([10, 13, 16])] }));
    expect(alerts.map((a) => [a.rule, a.eventKey])).toEqual([['reliable_deterioration', 'phq9:total:p1']]);
  });

  it('flags no reliable improvement from session N on', () => {
    expect(evaluateAlerts(input({ sessionNumber: 5, outcomes: [series([16, 15, 15, 14, 14])] }))).toEqual([]);
    const alerts = evaluateAlerts(input({ sessionNumber: 6, outcomes: [series([16, 15, 15, 14, 14, 13])] }));
    expect(alerts.map((a) => a.rule)).toEqual(['no_reliable_improvement']);
  });

  it('reports recovery', () => {
    const alerts = evaluateAlerts(input({ sessionNumber: 4, outcomes: [series([16, 12, 9, 7])] }));
    expect(alerts.map((a) => a.rule)).toEqual(['recovered']);
  });

  it('flags a low and a dropping alliance', () => {
    const alliance = {
      instrumentId: 'alliance',
      lowThreshold: 6,
      points: [8.5, 8.25, 8.75, 5].map((value, i) => ({ session: i + 1, value })),
    };
    const alerts = evaluateAlerts(input({ sessionNumber: 4, alliance }));
    expect(alerts.map((a) => a.rule)).toEqual(['alliance_low', 'alliance_drop']);
    expect(alerts[1].reason.nl).toContain('5 in sessie 4 tegen gemiddeld 8,5 eerder');
  });
});

describe('published reliable-change threshold (no sourced SD)', () => {
  const iapt: ReliableChangeParameters = {
    ...params,
    sd: null,
    sDiff: null,
    minimumReliableChange: null,
    publishedReliableChange: { value: 6, source: 'IAPT' },
  };
  it('judges reliable change by the threshold and reports no RCI', () => {
    expect(assessChange(16, 10, iapt)).toMatchObject({ class: 'improved', rci: null, basis: 'published-threshold' });
    expect(assessChange(16, 9, iapt).class).toBe('recovered');
    expect(assessChange(16, 11, iapt).class).toBe('unchanged');
    expect(assessChange(8, 14, iapt).class).toBe('deteriorated');
  });
  it('says which basis it used', () => {
    const alerts = evaluateAlerts(input({ sessionNumber: 2, outcomes: [{ ...series([8, 17]), params: iapt }] }));
    expect(alerts[0].reason.en).toContain('published reliable-change threshold: 6 points');
  });
});

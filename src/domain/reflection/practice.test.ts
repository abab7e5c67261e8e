import { describe, expect, it } from 'vitest';
import { monthlyImprovement } from './outcome-trend.ts';
import { parseGoal, parseLog, weeklyTotals, weekStart } from './practice.ts';
import { addMonths, reminder } from './schedule.ts';

describe('deliberate practice', () => {
  it('sums minutes per ISO week, keeping empty weeks', () => {
    expect(weekStart('2026-01-11')).toBe('2026-01-05'); // a Sunday belongs to the week of Monday the 5th
    const weeks = weeklyTotals(
      [
        { practisedOn: '2026-01-05', minutes: 20, skill: 'directness' },
        { practisedOn: '2026-01-11', minutes: 10, skill: 'humour' },
        { practisedOn: '2025-01-01', minutes: 99, skill: 'humour' },
      ],
      '2026-01-14',
      3,
    );
    expect(weeks).toEqual([
      { week: '2025-12-29', minutes: 0, bySkill: {} },
      { week: '2026-01-05', minutes: 30, bySkill: { directness: 20, humour: 10 } },
      { week: '2026-01-12', minutes: 0, bySkill: {} },
    ]);
  });

  it('validates goals and log entries', () => {
    expect(parseGoal({ skill: 'custom', customSkill: 'Stiltes', title: 'Stiltes laten vallen' }).content).toEqual({
      title: 'Stiltes laten vallen',
      customSkill: 'Stiltes',
      description: '',
    });
    expect(() => parseGoal({ skill: 'juggling', title: 'x' })).toThrow(/skill/);
    const goalId = '00000000-0000-4000-8000-000000000001';
    expect(parseLog({ goalId, minutes: '30', practised: 'Rollenspel' }, '2026-01-14')).toMatchObject({
      practisedOn: '2026-01-14',
      minutes: 30,
    });
    expect(() => parseLog({ goalId, minutes: '0', practised: 'x' }, '2026-01-14')).toThrow(/Minutes/);
    expect(() => parseLog({ goalId, minutes: '5', practised: 'x', practisedOn: '2026-02-01' }, '2026-01-14')).toThrow(
      /future/,
    );
  });

  it('gives a descriptive monthly improvement from each series’ baseline', () => {
    const at = (d: string) => new Date(`${d}T12:00:00Z`);
    const points = [
      { series: 'a', measuredAt: at('2025-11-03'), value: 20 },
      { series: 'a', measuredAt: at('2025-12-01'), value: 16 },
      { series: 'a', measuredAt: at('2026-01-05'), value: 12 },
      { series: 'b', measuredAt: at('2026-01-02'), value: 10 },
      { series: 'b', measuredAt: at('2026-01-20'), value: 12 },
    ];
    const trend = monthlyImprovement(points, true, '2025-12', '2026-02');
    expect(trend).toEqual([
      { month: '2025-12', meanImprovement: 4, measurements: 1, series: 1 },
      { month: '2026-01', meanImprovement: (8 - 2) / 2, measurements: 2, series: 2 },
      { month: '2026-02', meanImprovement: null, measurements: 0, series: 0 },
    ]);
    expect(monthlyImprovement(points, false, '2026-01', '2026-01')[0].meanImprovement).toBe(-3);
  });
});

describe('check-up schedule', () => {
  it('adds calendar months, clamping the day', () => {
    expect(addMonths(new Date('2025-08-31T10:00:00Z'), 6).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2025-01-15T10:00:00Z'), 12).toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });

  it('reminds when due, not before', () => {
    const last = new Date('2025-06-01T10:00:00Z');
    expect(reminder({ lastCompletedAt: null, draftStartedAt: null, intervalMonths: 6, now: last })).toEqual({
      status: 'never',
    });
    expect(
      reminder({
        lastCompletedAt: last,
        draftStartedAt: null,
        intervalMonths: 6,
        now: new Date('2025-11-30T10:00:00Z'),
      }).status,
    ).toBe('not-due');
    const due = reminder({
      lastCompletedAt: last,
      draftStartedAt: null,
      intervalMonths: 3,
      now: new Date('2025-09-11T10:00:00Z'),
    });
    expect(due).toMatchObject({ status: 'due', overdueDays: 10 });
    expect(reminder({ lastCompletedAt: last, draftStartedAt: last, intervalMonths: 3, now: new Date() }).status).toBe(
      'in-progress',
    );
  });
});

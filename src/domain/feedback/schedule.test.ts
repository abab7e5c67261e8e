import { describe, expect, it } from 'vitest';
import { instrumentsDue, nextMeasuredSession, nextSessionNumber } from './schedule.ts';

const plans = [
  { instrument_id: 'phq9', schedule: 'every_session' as const, every_n: null },
  { instrument_id: 'gad7', schedule: 'every_n' as const, every_n: 4 },
  { instrument_id: 'brs', schedule: 'intake' as const, every_n: null },
  { instrument_id: 'k10', schedule: 'end' as const, every_n: null },
];

describe('instrumentsDue', () => {
  it('follows each schedule', () => {
    expect(instrumentsDue(plans, 1)).toEqual(['phq9', 'gad7', 'brs']);
    expect(instrumentsDue(plans, 2)).toEqual(['phq9']);
    expect(instrumentsDue(plans, 5)).toEqual(['phq9', 'gad7']);
    expect(instrumentsDue(plans, 7, true)).toEqual(['phq9', 'k10']);
  });
  it('finds the next measured session', () => {
    expect(nextMeasuredSession(plans.slice(1, 2), 1)).toBe(5);
    expect(nextMeasuredSession([], 3)).toBeNull();
  });
});

describe('nextSessionNumber', () => {
  it('is the session after the last recorded one, not the last one (regression: answers went to session 10)', () => {
    const held = Array.from({ length: 10 }, (_, i) => ({ number: i + 1, status: 'held' as const }));
    expect(nextSessionNumber(held)).toBe(11);
  });
  it('is the first planned session when one is planned', () => {
    expect(
      nextSessionNumber([
        { number: 1, status: 'held' },
        { number: 3, status: 'planned' },
        { number: 2, status: 'planned' },
      ]),
    ).toBe(2);
  });
  it('is session 1 for a new episode', () => expect(nextSessionNumber([])).toBe(1));
});

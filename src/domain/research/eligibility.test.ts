import { describe, expect, it } from 'vitest';
import { eligibilityText, parseEligibility, screen } from './eligibility.ts';

describe('eligibility screen', () => {
  const criteria = parseEligibility('Werk je als therapeut? = ja\n\n# comment\nBen je in opleiding? = nee\n');
  it('parses "<question> = ja/nee" lines and writes them back', () => {
    expect(criteria).toEqual([
      { text: 'Werk je als therapeut?', required: true },
      { text: 'Ben je in opleiding?', required: false },
    ]);
    expect(eligibilityText(criteria)).toBe('Werk je als therapeut? = ja\nBen je in opleiding? = nee');
  });
  it('refuses a bad line with its number and a stable code', () => {
    expect(() => parseEligibility('Werk je als therapeut? = ja\nBen je in opleiding?')).toThrow(
      expect.objectContaining({ code: 'SURVEY_INVALID', message: expect.stringContaining('line 2') }),
    );
  });
  it('screens: eligible only when every answer is the required one; a missing answer asks again', () => {
    expect(screen(criteria, { 'e.0': 'yes', 'e.1': 'no' })).toBe(true);
    expect(screen(criteria, { 'e.0': 'yes', 'e.1': 'yes' })).toBe(false);
    expect(screen(criteria, { 'e.0': 'yes' })).toBeNull();
    expect(screen([], {})).toBe(true);
  });
});

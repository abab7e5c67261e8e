import { describe, expect, it } from 'vitest';
import { compileScorer } from '../../domain/instruments/compile.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { formSection, questionsOf, responseFromFields } from './questions.ts';

describe('form questions', () => {
  const phq9 = shippedInstruments()
    .all()
    .find((s) => s.questionnaire.code?.some((c) => c.code === '44249-1'))!;

  it('lists the nine PHQ-9 questions with four answers each and scores a posted form', () => {
    const section = formSection(phq9, 0);
    const questions = questionsOf(section).slice(0, 9);
    expect(questions.every((q) => q.choices.length === 4)).toBe(true);
    const fields = Object.fromEntries(questions.map((q, i) => [q.field, String(i % 4)]));
    const { response, problems } = responseFromFields(section, fields, new Date('2026-01-01T10:00:00Z'));
    expect(problems).toEqual([]);
    const result = compileScorer(phq9.questionnaire).score(response);
    expect(result.scales[0].value).toBe([0, 1, 2, 3, 0, 1, 2, 3, 0].reduce((a, b) => a + b, 0));
  });

  it('refuses answers that are not offered', () => {
    const section = formSection(phq9, 0);
    const first = questionsOf(section)[0];
    const { problems } = responseFromFields(section, { [first.field]: '7' }, new Date());
    expect(problems[0]).toEqual({ field: first.field, message: 'is not one of the answers' });
    expect(responseFromFields(section, { [first.field]: 'DROP TABLE' }, new Date()).problems[0].message).toBe(
      'is not one of the answers',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { validateResponse } from '../instruments/validate-response.ts';
import { BRANCHING_SURVEY } from './fixtures.ts';
import { allocateArm, parseSurveyText, presentationOrder, surveyFromText, surveyToText } from './survey.ts';

describe('survey text format', () => {
  const meta = { id: 'demo', title: 'Huilen in therapie', version: 1, lang: 'nl' as const };

  it('builds a FHIR Questionnaire with branching, reverse keying and a scale with a minimum-valid-items rule', () => {
    const survey = surveyFromText(BRANCHING_SURVEY, meta);
    expect(survey.items.map((i) => i.name)).toEqual([
      'gender',
      'age',
      'cried',
      'lump',
      'why',
      'att1',
      'att2',
      'att3',
      'check',
    ]);
    const lump = survey.questionnaire.item!.find((i) => i.linkId === 'lump')!;
    expect(lump.enableWhen).toEqual([{ question: 'cried', operator: '=', answerBoolean: true }]);
    expect(survey.items.find((i) => i.name === 'att2')!.reverse).toBe(true);
    expect(survey.items.find((i) => i.name === 'gender')!.quasiIdentifier).toBe(true);
    expect(survey.items.find((i) => i.name === 'check')!.instructed).toBe(2);
    expect(survey.scales).toEqual([
      {
        id: 'attitude',
        label: 'Attitude tegenover huilende therapeuten',
        method: 'mean',
        items: ['att1', 'att2', 'att3'],
        reverse: ['att2'],
        itemMin: 1,
        itemMax: 7,
        minValid: 2,
      },
    ]);
  });

  it('lets the instruments engine enforce the branching', () => {
    const survey = surveyFromText(BRANCHING_SURVEY, meta);
    const bad = validateResponse(survey.questionnaire, {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      questionnaire: survey.questionnaire.url,
      item: [
        {
          linkId: 'gender',
          answer: [{ valueCoding: { system: 'https://spiegel.example/fhir/CodeSystem/survey-choice', code: '1' } }],
        },
        { linkId: 'cried', answer: [{ valueBoolean: false }] },
        { linkId: 'lump', answer: [{ valueInteger: 3 }] },
      ],
    });
    expect(bad.issues.map((i) => i.code)).toContain('ANSWER_TO_DISABLED_ITEM');
  });

  it('round-trips through the editor text', () => {
    const survey = surveyFromText(BRANCHING_SURVEY, meta);
    const again = surveyFromText(surveyToText(survey), meta);
    expect(again.questionnaire).toEqual(survey.questionnaire);
  });

  it('lists every problem with its line number and builds nothing', () => {
    const { problems } = parseSurveyText(
      'likert7 a | A\nslider b | B\nlikert7 a | again\nopen c if zz=1 | C\nscale s | S | a c',
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(() => surveyFromText('slider b | B', meta)).toThrow(/line 1: unknown item type 'slider'/);
  });
});

describe('item randomisation (shuffle groups)', () => {
  const text = `choice gender | Geslacht | 1=Man; 2=Vrouw
likert7 a1 shuffle=att | A1
likert7 a2 shuffle=att | A2
likert7 a3 shuffle=att | A3
numeric age | Leeftijd`;
  const survey = surveyFromText(text, { id: 's', title: 'S', version: 1, lang: 'nl' });

  it('keeps the shuffle group through the questionnaire and back to text', () => {
    expect(survey.items.map((i) => i.shuffle)).toEqual([null, 'att', 'att', 'att', null]);
    expect(surveyToText(survey)).toContain('likert7 a2 shuffle=att | A2');
  });

  it('shows each respondent a seeded order: the same seed the same order, others in place, all orders equally often', () => {
    const order = (seed: string) => presentationOrder(survey.items, seed).map((i) => i.name);
    expect(order('state-1')).toEqual(order('state-1'));
    const counts = new Map<string, number>();
    for (let k = 0; k < 6000; k++) {
      const o = order(`eyJ2IjoxLCJ0IjoxNzY${k}.sig`);
      expect(o[0]).toBe('gender');
      expect(o[4]).toBe('age');
      counts.set(o.slice(1, 4).join(), (counts.get(o.slice(1, 4).join()) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});

describe('randomisation to arms (balanced blocks)', () => {
  it('balances every block exactly and regenerates the same sequence from the seed', () => {
    const seq = (seed: string) => Array.from({ length: 60 }, (_, i) => allocateArm(seed, [1, 2, 3], 6, i));
    const a = seq('study-1');
    expect(seq('study-1')).toEqual(a);
    for (let b = 0; b < 10; b++) {
      const block = a.slice(6 * b, 6 * b + 6);
      for (const arm of [1, 2, 3]) expect(block.filter((x) => x === arm)).toHaveLength(2);
    }
    expect(seq('study-2')).not.toEqual(a);
  });

  it('parses an assignment item and refuses one that cannot balance', () => {
    const meta = { id: 's', title: 'S', version: 1, lang: 'nl' as const };
    const s = surveyFromText(
      'choice arm assign block=4 | Conditie | 1=Controle; 2=Vignet\nopen v if arm=2 | Vraag',
      meta,
    );
    expect(s.items[0].assign).toEqual({ blockSize: 4 });
    expect(surveyToText(s)).toContain('choice arm assign block=4 |');
    expect(surveyFromText('choice arm assign | C | 1=A; 2=B; 3=C', meta).items[0].assign).toEqual({ blockSize: 6 });
    expect(() => surveyFromText('choice arm assign block=5 | C | 1=A; 2=B', meta)).toThrow(/multiple of its 2 arms/);
    expect(() => surveyFromText('likert7 arm assign | C', meta)).toThrow(/only a choice item/);
  });
});

import { describe, expect, it } from 'vitest';
import { groupsFromQuestionnaire, itemsFromQuestionnaire, questionnaireResponseFor } from './questionnaire-items.ts';
import {
  mergeModuleAnswers,
  moduleById,
  moduleItems,
  moduleProgress,
  parseModuleForm,
  selfCheckModules,
} from './self-check.ts';
import { brsBand, brsScore } from './resilience.ts';
import { shipped } from './testing.ts';

const tears = shipped('spiegel-tears');
const brs = shipped('brs');
const modules = selfCheckModules({
  tears: { instrumentId: 'spiegel-tears', groups: groupsFromQuestionnaire(tears.questionnaire, tears.spec) },
  brs: { instrumentId: 'brs', items: itemsFromQuestionnaire(brs.questionnaire, brs.spec) },
});

describe('self-check composition', () => {
  it('takes the seed-000 items from the spiegel-tears Questionnaire, in both languages', () => {
    const emotions = moduleById(modules, 'emotions');
    const ids = moduleItems(emotions).map((i) => i.id);
    expect(ids).toContain('crying-proneness');
    expect(ids.filter((id) => id.startsWith('never-'))).toHaveLength(6);
    expect(ids.filter((id) => id.startsWith('occasion-'))).toHaveLength(9);
    expect(ids.filter((id) => id.startsWith('attitude-'))).toHaveLength(9);
    const proneness = moduleItems(emotions).find((i) => i.id === 'crying-proneness')!;
    expect(proneness.input).toMatchObject({
      kind: 'scale',
      min: 1,
      max: 10,
      minLabel: { nl: 'ik huil nooit', en: 'I never cry' },
    });
    expect(proneness.text.en).toContain('tendency to cry');
    // The never-cried group applies only to those who never cried: its condition moves onto the items.
    expect(moduleItems(emotions).find((i) => i.id === 'never-1')!.enableWhen).toEqual({
      question: 'ever-cried',
      equals: false,
    });
    expect(emotions.sections.find((s) => s.id === 'in-session')!.items.map((i) => i.id)).toEqual([
      'ever-cried',
      'in-session-allow',
      'in-session-discuss',
      'in-session-lump',
      'in-session-eyes',
      'in-session-cheeks',
    ]);
  });

  it('shows the BRS in English for both languages and says so', () => {
    const items = moduleById(modules, 'resilience').sections[0].items;
    expect(items).toHaveLength(6);
    expect(items[0].text.nl).toBe(items[0].text.en);
    expect(items[0].textLang).toEqual({ nl: 'en', en: 'en' });
  });

  it('validates a module form and ignores unknown fields', () => {
    const emotions = moduleById(modules, 'emotions');
    const { answers, errors } = parseModuleForm(emotions, {
      'crying-proneness': '11',
      'ever-cried': 'maybe',
      'attitude-1': '7',
      'in-session-lump': '3,5',
      junk: 'x',
    });
    expect(errors.map((e) => e.id)).toEqual(['crying-proneness', 'ever-cried']);
    expect(errors[0].message.nl).toContain('1 tot 10');
    expect(answers).toEqual({ 'attitude-1': 7, 'in-session-lump': 3.5 }); // a Dutch decimal comma is accepted
  });

  it('drops answers whose condition is answered the other way', () => {
    const emotions = moduleById(modules, 'emotions');
    const cried = parseModuleForm(emotions, { 'ever-cried': 'yes', 'never-1': '5', 'in-session-eyes': '4' }).answers;
    expect(cried).toEqual({ 'ever-cried': true, 'in-session-eyes': 4 });
    const never = parseModuleForm(emotions, { 'ever-cried': 'no', 'never-1': '5', 'in-session-eyes': '4' }).answers;
    expect(never).toEqual({ 'ever-cried': false, 'never-1': 5 });
    expect(parseModuleForm(emotions, { 'never-1': '5' }).answers).toEqual({ 'never-1': 5 });
  });

  it('keeps multi-choice answers in option order and merges modules', () => {
    const resilience = moduleById(modules, 'resilience');
    const { answers } = parseModuleForm(resilience, {
      'life.events': ['move', 'bereavement'],
      'maintenance.supervision': '6,5',
      'brs-1': 'agree-4',
    });
    expect(answers).toEqual({ 'life.events': 'bereavement,move', 'maintenance.supervision': 6.5, 'brs-1': 'agree-4' });
    expect(parseModuleForm(resilience, { 'life.events': ['nope'] }).errors).toHaveLength(1);
    const merged = mergeModuleAnswers({ 'brs-2': 'agree-1', 'motivation.1A.now': 4 }, resilience, answers);
    expect(merged).toEqual({ 'motivation.1A.now': 4, ...answers });
    expect(moduleProgress(resilience, merged)).toEqual({ answered: 3, total: moduleItems(resilience).length });
  });

  it('scores the BRS with the instrument’s rules, matching the published rule and bands', () => {
    const codes = ['agree-5', 'agree-1', 'agree-4', 'agree-2', 'agree-4', 'agree-2'];
    const answers = Object.fromEntries(codes.map((c, i) => [`brs-${i + 1}`, c]));
    const result = brs.score(questionnaireResponseFor(brs.questionnaire, answers));
    const published = brsScore([5, 1, 4, 2, 4, 2]);
    expect(published).toBeCloseTo((5 + 5 + 4 + 4 + 4 + 4) / 6, 12);
    expect(result.scales[0].value).toBeCloseTo(published!, 2);
    expect(brsBand(2.99)).toBe('low');
    expect(brsBand(3)).toBe('normal');
    expect(brsBand(4.3)).toBe('normal');
    expect(brsBand(4.31)).toBe('high');
    expect(brsBand(4.304)).toBe('normal');
    expect(brsScore([1, 2, 3])).toBeNull();
  });

  it('builds a response that mirrors the questionnaire groups', () => {
    const qr = questionnaireResponseFor(tears.questionnaire, {
      'crying-proneness': 4,
      'ever-cried': false,
      'never-2': 6,
    }) as { item: Array<{ linkId: string; item?: unknown[] }> };
    expect(qr.item.map((i) => i.linkId)).toEqual(['crying-general', 'ever-cried', 'never-cried']);
    expect(qr.item[0].item).toEqual([{ linkId: 'crying-proneness', answer: [{ valueInteger: 4 }] }]);
  });
});

import { describe, expect, it } from 'vitest';
import { APPRECIATION_FRAME, frameSteps } from './appreciation-frame.ts';
import { journalTemplate, matchesSearch, parseEntry, parseTags, TEMPLATE_IDS } from './journal.ts';

describe('appreciation frame (seed 002)', () => {
  it('has the seven goals with intervention, pitfall and recommendation', () => {
    expect(APPRECIATION_FRAME.map((g) => g.goal.nl)).toEqual([
      'Betekenis verkennen',
      'Rivaliteit benoemen',
      'Overdracht onderzoeken',
      'Tegenoverdracht reflecteren',
      'Hier-en-nu benutten',
      'Wederkerigheid bevorderen',
      'Metacommunicatie stimuleren',
    ]);
    for (const g of APPRECIATION_FRAME)
      for (const text of [g.intervention, g.pitfall, g.recommendation]) expect(text.nl && text.en).toBeTruthy();
  });

  it('uses all seven goals for groups and five, one adapted, for individual therapy', () => {
    expect(frameSteps('group').map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const individual = frameSteps('individual');
    expect(individual.map((s) => s.number)).toEqual([1, 3, 4, 5, 7]);
    expect(individual.filter((s) => s.adaptedBySpiegel).map((s) => s.number)).toEqual([7]);
    expect(individual[4].intervention.nl).toContain('werkrelatie');
    expect(frameSteps('group')[6].intervention.nl).toContain('groepsdynamiek');
  });

  it('gives every template Dutch and English prompts', () => {
    for (const id of TEMPLATE_IDS) {
      const t = journalTemplate(id);
      expect(t.fields.length).toBeGreaterThan(0);
      for (const f of t.fields) expect(f.label.nl !== '' && f.label.en !== '').toBe(true);
    }
    expect(journalTemplate('appreciation', 'group').fields.filter((f) => f.guidance)).toHaveLength(7);
  });
});

describe('journal entries', () => {
  it('parses an entry against its template', () => {
    const entry = parseEntry({
      template: 'appreciation',
      mode: 'group',
      title: ' Compliment in de groep ',
      field_situation: 'Je bent de enige',
      field_goal2: 'Rivaliteit benoemd',
      field_unknown: 'x',
      tags: 'Groep, waardering, groep',
      occurredOn: '2026-01-12',
    });
    expect(entry).toEqual({
      template: 'appreciation',
      mode: 'group',
      title: 'Compliment in de groep',
      occurredOn: '2026-01-12',
      fields: { situation: 'Je bent de enige', goal2: 'Rivaliteit benoemd' },
      tags: ['groep', 'waardering'],
    });
    expect(parseEntry({ template: 'appreciation', title: 'x', field_goal2: 'dropped' }).fields).toEqual({});
  });

  it('refuses bad input with a registry error', () => {
    expect(() => parseEntry({ template: 'diary', title: 'x' })).toThrow(/template/);
    expect(() => parseEntry({ template: 'free', title: '' })).toThrow(/title/);
    expect(() => parseEntry({ template: 'free', title: 'x', occurredOn: '12-01-2026' })).toThrow(/date/);
    expect(() => parseTags('<script>')).toThrow(/Tag/);
  });

  it('searches in memory, ignoring case and accents, with an exact tag filter', () => {
    const entry = parseEntry({
      template: 'free',
      title: 'Tranen na een sessie',
      field_text: 'De cliënt huilde om haar vader',
      tags: 'tranen, vader',
    });
    expect(matchesSearch(entry, 'CLIENT vader', null)).toBe(true);
    expect(matchesSearch(entry, 'moeder', null)).toBe(false);
    expect(matchesSearch(entry, '', 'tranen')).toBe(true);
    expect(matchesSearch(entry, '', 'traan')).toBe(false);
  });
});

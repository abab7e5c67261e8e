import { describe, expect, it } from 'vitest';
import { REDCAP_HEADER, redcapToSurveyText, surveyToRedcap } from './redcap.ts';
import { surveyFromText, surveyToText } from './survey.ts';
import { BRANCHING_SURVEY } from './fixtures.ts';

const meta = { id: 's', title: 'S', version: 1, lang: 'nl' as const };

describe('REDCap data dictionary', () => {
  it('exports the 18 standard columns and comes back as the same survey', () => {
    const survey = surveyFromText(BRANCHING_SURVEY.replace('likert7 att3 |', 'likert7 att3 shuffle=att |'), meta);
    const csv = surveyToRedcap(survey, 'Tranen in therapie');
    const lines = csv.trim().split('\r\n');
    expect(lines[0].split(',').length).toBeGreaterThanOrEqual(REDCAP_HEADER.length);
    expect(lines[1]).toMatch(/^gender,tranen_in_therapie,,radio,Wat is je geslacht\?,"1, Man \| 2, Vrouw"/);
    expect(csv).toContain(`[cried] = '1'`);
    expect(csv).toContain('calc,Attitude tegenover huilende therapeuten,"mean([att1],[att2],[att3])"');
    const back = surveyFromText(redcapToSurveyText(csv), meta);
    expect(surveyToText(back)).toBe(surveyToText(survey));
  });

  it('imports a dictionary written in REDCap (dropdown, integer text, notes, branching, required)', () => {
    const csv = [
      REDCAP_HEADER.map((h) => (h.includes(',') ? `"${h}"` : h)).join(','),
      'record_id,intake,,text,Record ID,,,,,,,,,,,,,',
      'discipline,intake,,dropdown,<b>Discipline</b>,"1, GZ-psycholoog | 2, Psychiater | 3, Psychotherapeut",,,,,,,y,,,,,',
      'years,intake,,text,Jaren ervaring,,,integer,0,50,,,,,,,,',
      'intro,intake,,descriptive,Welkom,,,,,,,,,,,,,',
      `comment,intake,,notes,Toelichting,,,,,,,[discipline] = '2',,,,,,`,
    ].join('\n');
    const text = redcapToSurveyText(csv);
    expect(text.split('\n')).toEqual([
      'open record_id | Record ID',
      'choice discipline required | Discipline | 1=GZ-psycholoog; 2=Psychiater; 3=Psychotherapeut',
      'numeric years min=0 max=50 | Jaren ervaring',
      'open comment if discipline=2 | Toelichting',
    ]);
    expect(surveyFromText(text, meta).items).toHaveLength(4);
  });

  it('refuses unsupported fields with their row numbers and a stable code', () => {
    const csv = [
      REDCAP_HEADER.map((h) => (h.includes(',') ? `"${h}"` : h)).join(','),
      'a,f,,checkbox,A,"1, x | 2, y",,,,,,,,,,,,',
      `b,f,,yesno,B,,,,,,,[a] = '1' and [c] = '2',,,,,,`,
    ].join('\n');
    expect(() => redcapToSurveyText(csv)).toThrow(
      expect.objectContaining({ code: 'SURVEY_INVALID', message: expect.stringMatching(/row 2: .*checkbox.*row 3/) }),
    );
    expect(() => redcapToSurveyText('name,age\nx,1')).toThrow(expect.objectContaining({ code: 'SURVEY_INVALID' }));
  });
});

import { describe, expect, it } from 'vitest';
import { FHIR_URL, compileScorer, itemText, labelText, languagePolicy, pickFrom, titleText, validateQuestionnaire, type Questionnaire } from './index.ts';
import { encodeScoringExtension, translationExtension } from './scoring-encode.ts';
import { respond, shipped } from '../../../test/fixtures/instruments/load.ts';

function policyOf(q: Questionnaire) {
  return languagePolicy(q, validateQuestionnaire(q).scoring);
}

describe('display text per language', () => {
  it('falls back from Dutch to the verified English original of the PHQ-9 and says so', () => {
    const q = shipped('phq9');
    const text = itemText(q.item![1], 'nl', policyOf(q));
    expect(text).toEqual({ text: 'Little interest or pleasure in doing things', lang: 'en', requested: 'nl', verified: true, fellBack: true, reason: 'not-available' });
    expect(itemText(q.item![1], 'en', policyOf(q))).toMatchObject({ lang: 'en', fellBack: false, verified: true });
  });

  it('shows both originals of the project-authored alliance check', () => {
    const q = shipped('spiegel-alliance');
    const p = policyOf(q);
    expect(itemText(q.item![1], 'nl', p)).toMatchObject({ text: 'Vandaag voelde ik me bij mijn therapeut op mijn gemak en serieus genomen.', fellBack: false });
    expect(itemText(q.item![1], 'en', p)).toMatchObject({ text: 'Today I felt at ease with my therapist and taken seriously.', fellBack: false, verified: true });
    expect(itemText(q.item![1], 'nl-BE', p)).toMatchObject({ lang: 'nl', fellBack: false });
  });

  it('does not show an unverified translation unless asked, and then marks it', () => {
    const q = shipped('spiegel-tears');
    const item = q.item![0].item![0];
    const p = policyOf(q);
    expect(itemText(item, 'en', p)).toMatchObject({ lang: 'nl', fellBack: true, reason: 'not-verified', verified: true });
    expect(itemText(item, 'en', p, { acceptUnverified: true })).toMatchObject({
      text: 'How would you rate your general tendency to cry (outside the therapeutic context)?', lang: 'en', verified: false, fellBack: false,
    });
    expect(titleText(q, 'en', p)).toMatchObject({ lang: 'nl', fellBack: true });
  });

  it('uses an organisation\'s imported official translation once it is marked verified', () => {
    const q = structuredClone(shipped('phq9'));
    const item = q.item![1];
    item._text = { extension: [translationExtension('nl', 'Weinig interesse of plezier in activiteiten')] };
    // Unmarked, the translation counts as unverified and is not shown.
    expect(itemText(item, 'nl', policyOf(q))).toMatchObject({ lang: 'en', reason: 'not-verified' });
    const spec = validateQuestionnaire(q).scoring!;
    spec.translations.push({ lang: 'nl', status: 'verified', source: 'Organisation X: official Dutch PHQ-9 (Pfizer translation), 2024' });
    q.extension = [encodeScoringExtension(spec, 'en')];
    expect(validateQuestionnaire(q).issues).toEqual([]);
    expect(itemText(item, 'nl', policyOf(q))).toMatchObject({ text: 'Weinig interesse of plezier in activiteiten', lang: 'nl', verified: true, fellBack: false });
  });

  it('returns null when there is no text at all, and labels fall back to any language', () => {
    expect(pickFrom({}, 'nl', languagePolicy({ language: 'en' }, null))).toBeNull();
    const result = compileScorer(shipped('phq9')).score(respond(shipped('phq9'), { 'phq9-1': 3, 'phq9-2': 3, 'phq9-3': 3, 'phq9-4': 3, 'phq9-5': 3, 'phq9-6': 3, 'phq9-7': 3, 'phq9-8': 3, 'phq9-9': 0 }));
    const p = languagePolicy({ language: 'en' }, null);
    expect(labelText(result.scales[0].band!.label, 'nl', p)).toMatchObject({ text: 'Ernstig', fellBack: false });
    expect(labelText(result.scales[0].band!.label, 'de', p)).toMatchObject({ text: 'Severe', lang: 'en', fellBack: true });
  });

  it('uses the FHIR translation extension URL', () => {
    expect(translationExtension('nl', 'x').url).toBe(FHIR_URL.translation);
  });
});

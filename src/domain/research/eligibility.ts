/**
 * The eligibility screen before the information letter and consent: yes/no criteria a respondent must
 * meet. Written one per line as "<question> = ja" or "<question> = nee" (also "yes"/"no"); the answer
 * after "=" is the one that makes a respondent eligible. The answers are never stored: the funnel
 * counts who was eligible and who was screened out.
 */
import { SpiegelError } from '../errors.ts';

export interface EligibilityCriterion {
  text: string;
  /** The answer that makes a respondent eligible. */
  required: boolean;
}

const ANSWERS: Record<string, boolean> = { ja: true, yes: true, nee: false, no: false };

/** Parses the criteria; a bad line is a SURVEY_INVALID naming the line, and nothing is kept. */
export function parseEligibility(text: string): EligibilityCriterion[] {
  const out: EligibilityCriterion[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = line.lastIndexOf('=');
    const question = at > 0 ? line.slice(0, at).trim() : '';
    const answer =
      ANSWERS[
        line
          .slice(at + 1)
          .trim()
          .toLowerCase()
      ];
    if (at <= 0 || question === '' || answer === undefined)
      problems.push({ line: i + 1, message: `write "<question> = ja" or "<question> = nee"` });
    else if (question.length > 300) problems.push({ line: i + 1, message: 'a question is at most 300 characters' });
    else out.push({ text: question, required: answer });
  });
  if (out.length > 20) problems.push({ line: 0, message: 'at most 20 eligibility questions' });
  if (problems.length > 0)
    throw new SpiegelError(
      'SURVEY_INVALID',
      `Eligibility screen: ${problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}.`,
      problems,
    );
  return out;
}

/** The criteria as the researcher wrote them (for the study page and a new version). */
export function eligibilityText(criteria: readonly EligibilityCriterion[], lang: 'nl' | 'en' = 'nl'): string {
  const yes = lang === 'nl' ? 'ja' : 'yes';
  const no = lang === 'nl' ? 'nee' : 'no';
  return criteria.map((c) => `${c.text} = ${c.required ? yes : no}`).join('\n');
}

/**
 * Whether posted answers ("e.<index>" = "yes" | "no") meet every criterion; a missing answer is not
 * eligible. Returns null when an answer is missing, so the screen can ask again instead of screening out.
 */
export function screen(
  criteria: readonly EligibilityCriterion[],
  answers: Record<string, string | undefined>,
): boolean | null {
  let eligible = true;
  for (let i = 0; i < criteria.length; i++) {
    const a = answers[`e.${i}`];
    if (a !== 'yes' && a !== 'no') return null;
    if ((a === 'yes') !== criteria[i].required) eligible = false;
  }
  return eligible;
}

/**
 * Data-quality flags. They mark respondents for the researcher to judge; nothing is ever deleted or
 * left out automatically.
 * - speeder: completion time below half the study's median (a relative speed index, Leiner 2019);
 * - straight-lining: the same answer to every Likert item while some are reverse-keyed, which
 *   means agreeing with a statement and with its opposite;
 * - instructed response: an attention-check item answered other than asked;
 * - missingness: more than 20% of the asked questions unanswered.
 */
import { median } from './numbers.ts';
import type { Survey } from './survey.ts';
import { answersOf, type StoredResponse } from './dataset.ts';
import { disabledFor } from './branching.ts';

export type FlagCode = 'speeder' | 'straight-lining' | 'instructed-response' | 'missingness';

export interface RespondentFlags {
  respondent: number;
  responseId: string;
  flags: { code: FlagCode; detail: string }[];
}

export interface QualityReport {
  medianDurationS: number | null;
  speederThresholdS: number | null;
  respondents: RespondentFlags[];
  /** Per asked item: how many were asked and how many left it unanswered. */
  itemMissingness: { item: string; asked: number; missing: number }[];
}

export const SPEEDER_FRACTION = 0.5;
export const MISSING_FRACTION = 0.2;
/** Fewer timed responses than this give no speeder threshold: a median of a handful means little. */
export const MIN_FOR_SPEED = 10;

export function qualityFlags(survey: Survey, responses: readonly StoredResponse[]): QualityReport {
  const durations = responses.map((r) => r.durationMs).filter((d): d is number => typeof d === 'number');
  const med = durations.length >= MIN_FOR_SPEED ? median(durations) : null;
  const threshold = med === null ? null : med * SPEEDER_FRACTION;
  const likert = survey.items.filter((i) => i.kind === 'likert' && i.instructed === null);
  const hasReverse = likert.some((i) => i.reverse);
  const asked = new Map(survey.items.map((i) => [i.name, { asked: 0, missing: 0 }]));
  const respondents = responses.map((r, index): RespondentFlags => {
    const flags: RespondentFlags['flags'] = [];
    const answers = answersOf(r.response);
    const disabled = disabledFor(survey, r.response);
    if (threshold !== null && r.durationMs !== null && r.durationMs < threshold)
      flags.push({
        code: 'speeder',
        detail: `${Math.round(r.durationMs / 1000)} s < ${Math.round(threshold / 1000)} s`,
      });
    const given = likert.filter((i) => !disabled.has(i.name) && typeof answers.get(i.name) === 'number');
    if (hasReverse && given.length >= 4 && given.some((i) => i.reverse) && given.some((i) => !i.reverse)) {
      const first = answers.get(given[0].name);
      if (given.every((i) => answers.get(i.name) === first))
        flags.push({ code: 'straight-lining', detail: `${given.length} × ${String(first)}` });
    }
    for (const item of survey.items) {
      if (item.instructed !== null && !disabled.has(item.name) && answers.get(item.name) !== item.instructed)
        flags.push({ code: 'instructed-response', detail: `${item.name} = ${String(answers.get(item.name) ?? '–')}` });
    }
    let askedHere = 0;
    let missingHere = 0;
    for (const item of survey.items) {
      if (disabled.has(item.name) || item.kind === 'open') continue;
      const counts = asked.get(item.name)!;
      counts.asked++;
      askedHere++;
      const v = answers.get(item.name);
      if (v === undefined || v === '') {
        counts.missing++;
        missingHere++;
      }
    }
    if (askedHere > 0 && missingHere / askedHere > MISSING_FRACTION)
      flags.push({ code: 'missingness', detail: `${missingHere}/${askedHere}` });
    return { respondent: index + 1, responseId: r.id, flags };
  });
  return {
    medianDurationS: med === null ? null : med / 1000,
    speederThresholdS: threshold === null ? null : threshold / 1000,
    respondents,
    itemMissingness: [...asked.entries()].map(([item, c]) => ({ item, ...c })),
  };
}

import { percentile, zScore } from '../stats/index.ts';
import type { ScoreResult } from '../instruments/index.ts';
import { SEED_000_SOURCE } from './tears.ts';
import { local, type Gender, type LocalText } from './types.ts';

/**
 * The Dutch norms of seed 000, checked against the article text:
 * - crying proneness (1 "ik huil nooit" – 10 "ik huil heel vaak"), outside therapy:
 *   population panel N=1891 M=2.55 SD=1.86; women N=765 3.50/2.07; men N=1126 1.90/1.36;
 *   therapists N=819 M=5.30 SD=2.18; women (N=615) 5.62/2.11; men (N=204) 4.32/2.12;
 * - attitude towards clients who cry (9 statements, 1–7, higher = more positive): therapists N=819
 *   M=5.92 SD=0.61.
 * Nothing else in the self-check has a published norm, and Spiegel invents none.
 *
 * z and percentile come from src/domain/stats (normal model). Every comparison carries its source and
 * its limits, which the report prints beside the number.
 */

export interface NormGroup {
  id: string;
  label: LocalText;
  n: number;
  mean: number;
  sd: number;
  /** Restricts the group to one gender; null means everyone. */
  gender: 'female' | 'male' | null;
}

export interface NormScale {
  id: 'cryingProneness' | 'clientCryingAttitude';
  label: LocalText;
  range: [number, number];
  source: LocalText;
  limits: LocalText;
  groups: NormGroup[];
}

const SELF_REPORT_LIMITS = local(
  'Zelfrapportage, één Nederlandse steekproef. De vergelijking gebruikt een normale verdeling; de werkelijke verdeling is scheef (in de bevolking antwoorden veel mensen 1), dus vooral percentielen aan de onderkant zijn bij benadering. De therapeutensteekproef is niet aselect: hoe representatief ze is, is onbekend.',
  'Self-report, one Dutch sample. The comparison assumes a normal distribution; the real distribution is skewed (many people in the population answer 1), so percentiles at the low end especially are approximate. The therapist sample was not random: how representative it is, is unknown.',
);

export const CRYING_PRONENESS_NORMS: NormScale = {
  id: 'cryingProneness',
  label: local('Neiging tot huilen (buiten therapie)', 'Crying proneness (outside therapy)'),
  range: [1, 10],
  source: SEED_000_SOURCE,
  limits: SELF_REPORT_LIMITS,
  groups: [
    {
      id: 'population',
      label: local('Nederlandse bevolking (panel, N=1891)', 'Dutch population (panel, N=1891)'),
      n: 1891,
      mean: 2.55,
      sd: 1.86,
      gender: null,
    },
    {
      id: 'population.women',
      label: local('vrouwen in de bevolking (N=765)', 'women in the population (N=765)'),
      n: 765,
      mean: 3.5,
      sd: 2.07,
      gender: 'female',
    },
    {
      id: 'population.men',
      label: local('mannen in de bevolking (N=1126)', 'men in the population (N=1126)'),
      n: 1126,
      mean: 1.9,
      sd: 1.36,
      gender: 'male',
    },
    {
      id: 'therapists',
      label: local('Nederlandse therapeuten (N=819)', 'Dutch therapists (N=819)'),
      n: 819,
      mean: 5.3,
      sd: 2.18,
      gender: null,
    },
    {
      id: 'therapists.women',
      label: local('vrouwelijke therapeuten (N=615)', 'female therapists (N=615)'),
      n: 615,
      mean: 5.62,
      sd: 2.11,
      gender: 'female',
    },
    {
      id: 'therapists.men',
      label: local('mannelijke therapeuten (N=204)', 'male therapists (N=204)'),
      n: 204,
      mean: 4.32,
      sd: 2.12,
      gender: 'male',
    },
  ],
};

export const CLIENT_CRYING_NORMS: NormScale = {
  id: 'clientCryingAttitude',
  label: local(
    'Houding tegenover cliënten die huilen (gemiddelde van 9 stellingen, 1–7)',
    'Attitude towards clients who cry (mean of 9 statements, 1–7)',
  ),
  range: [1, 7],
  source: SEED_000_SOURCE,
  limits: local(
    'Zelfrapportage, één Nederlandse therapeutensteekproef, geen bevolkingsnorm. Het artikel publiceert de scoringssleutel niet: Spiegel neemt aan dat de vijf negatief geformuleerde stellingen (5–9) omgekeerd scoren en dat de schaalscore het gemiddelde van de negen stellingen is (er mag er één ontbreken). Zie de uitkomst daarom als indicatie. Scores liggen dicht bij het plafond (SD 0,61), dus kleine verschillen geven grote z-scores.',
    'Self-report, one Dutch therapist sample, no population norm. The article does not publish the scoring key: Spiegel assumes the five negatively worded statements (5–9) are reverse-scored and that the scale score is the mean of the nine statements (at most one may be missing). Treat the result as indicative. Scores sit close to the ceiling (SD 0.61), so small differences give large z-scores.',
  ),
  groups: [
    {
      id: 'therapists',
      label: local('Nederlandse therapeuten (N=819)', 'Dutch therapists (N=819)'),
      n: 819,
      mean: 5.92,
      sd: 0.61,
      gender: null,
    },
  ],
};

export interface NormResult {
  group: NormGroup;
  z: number;
  /** 0–100, normal model. */
  percentile: number;
}

export interface ScaleComparison {
  scale: NormScale;
  score: number;
  results: NormResult[];
  /** Why some groups are not shown (gender unknown). */
  note: LocalText | null;
}

/** Groups to compare with: the overall groups always, gender groups only for a known matching gender. */
export function groupsFor(scale: NormScale, gender: Gender): NormGroup[] {
  return scale.groups.filter((g) => g.gender === null || g.gender === gender);
}

export function compareWithNorms(scale: NormScale, score: number, gender: Gender): ScaleComparison {
  const results = groupsFor(scale, gender).map((group) => ({
    group,
    z: zScore(score, group),
    percentile: percentile(score, group),
  }));
  const hasGenderGroups = scale.groups.some((g) => g.gender !== null);
  const note =
    hasGenderGroups && gender !== 'female' && gender !== 'male'
      ? local(
          'Er zijn alleen normen voor vrouwen en mannen; omdat je geslacht niet als vrouw of man is vastgelegd, tonen we alleen de totale groepen.',
          'Norms exist only for women and men; because your gender is not recorded as female or male, only the overall groups are shown.',
        )
      : null;
  return { scale, score, results, note };
}

export interface TearsScaleScores {
  cryingProneness: number | null;
  clientCryingAttitude: number | null;
}

/**
 * The two normed scale scores, as the `spiegel-tears` instrument's own declared rules computed them
 * (crying proneness = the 1–10 answer; attitude = mean of the nine table-3 items with items 5–9
 * reversed, at most one missing).
 */
export function tearsScaleScores(result: ScoreResult | null): TearsScaleScores {
  const value = (id: string) => result?.scales.find((s) => s.id === id)?.value ?? null;
  return { cryingProneness: value('crying-proneness'), clientCryingAttitude: value('attitude-client-crying') };
}

/** The norm comparisons the scores allow (none for unanswered scales). */
export function tearsComparisons(scores: TearsScaleScores, gender: Gender): ScaleComparison[] {
  const out: ScaleComparison[] = [];
  if (scores.cryingProneness !== null)
    out.push(compareWithNorms(CRYING_PRONENESS_NORMS, scores.cryingProneness, gender));
  if (scores.clientCryingAttitude !== null)
    out.push(compareWithNorms(CLIENT_CRYING_NORMS, scores.clientCryingAttitude, gender));
  return out;
}

import { local, type Answers, type LocalText, type SelfCheckItem } from './types.ts';

/**
 * Module 4 of the self-check: the professional self-view. The therapist rates their own effectiveness as
 * a percentile among colleagues; beside it Spiegel sets the measured mirror (the case-mix-adjusted
 * therapist-effect estimate built elsewhere) when one exists, and says "not available yet" otherwise.
 * The prompts follow seed 001's "love yourself as a person, doubt yourself as a therapist" (Nissen-Lie et
 * al., 2017). The questions are written by Spiegel (not a validated instrument).
 */

const SPIEGEL = { kind: 'spiegel' } as const;

export const SELF_VIEW_ITEMS: SelfCheckItem[] = [
  {
    id: 'selfview.percentile',
    text: local(
      'Vergeleken met collega’s in je vak: op welk percentiel schat je je eigen effectiviteit? (50 = precies gemiddeld)',
      'Compared with colleagues in your profession: at what percentile do you rate your own effectiveness? (50 = exactly average)',
    ),
    input: { kind: 'number', min: 0, max: 100, unit: local('e percentiel', 'th percentile') },
    provenance: SPIEGEL,
  },
  {
    id: 'selfview.person',
    text: local(
      'Love yourself as a person: wat waardeer je aan jezelf als mens?',
      'Love yourself as a person: what do you value in yourself as a person?',
    ),
    input: { kind: 'text', maxLength: 4000 },
    provenance: SPIEGEL,
  },
  {
    id: 'selfview.doubt',
    text: local(
      'Doubt yourself as a therapist: waar twijfel je aan als therapeut (handel ik juist, help ik deze cliënt eigenlijk wel)?',
      'Doubt yourself as a therapist: what do you doubt as a therapist (am I doing the right thing, am I actually helping this client)?',
    ),
    input: { kind: 'text', maxLength: 4000 },
    provenance: SPIEGEL,
  },
  {
    id: 'selfview.mistake',
    text: local(
      'Welke fout heb je recent gemaakt en wat leerde je ervan?',
      'What mistake did you make recently, and what did you learn from it?',
    ),
    input: { kind: 'text', maxLength: 4000 },
    provenance: SPIEGEL,
  },
];

export const WALFISH_NOTE: LocalText = local(
  'Therapeuten overschatten zichzelf meestal. In een Amerikaans onderzoek onder 129 hulpverleners schatten ze zichzelf gemiddeld op het 80e percentiel; een kwart plaatste zich op het 90e percentiel of hoger en niemand onder het gemiddelde (Walfish, McAlister, O’Donnell & Lambert, 2012, Psychological Reports 110, 639–644). Gemiddeld kan niet iedereen boven het gemiddelde zitten.',
  'Therapists usually over-rate themselves. In a US survey of 129 clinicians the average self-rating was the 80th percentile; a quarter placed themselves at the 90th percentile or higher and none below average (Walfish, McAlister, O’Donnell & Lambert, 2012, Psychological Reports 110, 639–644). On average, not everyone can be above average.',
);

export const NISSEN_LIE_NOTE: LocalText = local(
  'Bij ervaren therapeuten gaat professionele zelftwijfel samen met betere uitkomsten, mits ze gepaard gaat met een positief zelfbeeld (Nissen-Lie e.a., 2017). Bij therapeuten in opleiding is dat niet zo (Odyniec e.a., 2019).',
  'In experienced therapists, professional self-doubt goes with better outcomes, provided it comes with a positive view of oneself (Nissen-Lie et al., 2017). In trainees it does not (Odyniec et al., 2019).',
);

/** What the effectiveness mirror can offer, when it exists (built by the therapist-effects analytics). */
export interface MeasuredEffectiveness {
  /** Percentile of the therapist's case-mix-adjusted effect among the organisation's therapists. */
  percentile: number | null;
  /** The estimate and its interval in the model's units, when a percentile is not meaningful. */
  estimate?: { value: number; lower: number; upper: number; unit: LocalText } | null;
  /** How it was computed (model, data window), shown beside the number. */
  method: LocalText;
}

export type SelfViewComparison =
  | { status: 'no-self-rating' }
  | { status: 'not-available'; selfPercentile: number }
  | { status: 'available'; selfPercentile: number; measured: MeasuredEffectiveness; difference: number | null };

/** Sets the self-rating beside the measured mirror, or says the mirror is not available yet. */
export function selfViewComparison(
  answers: Answers,
  measured: MeasuredEffectiveness | null | undefined,
): SelfViewComparison {
  const self = answers['selfview.percentile'];
  if (typeof self !== 'number') return { status: 'no-self-rating' };
  if (!measured || (measured.percentile === null && !measured.estimate))
    return { status: 'not-available', selfPercentile: self };
  return {
    status: 'available',
    selfPercentile: self,
    measured,
    difference: measured.percentile === null ? null : self - measured.percentile,
  };
}

import type { MixedFit } from '../stats/mixed/types.ts';

/**
 * Case-mix-adjusted therapist effects (the effectiveness mirror). Model (a) at episode level:
 *   post ~ intake_c + (1 | therapist)   (REML),
 * post = the last score of a completed episode, intake_c = its first score minus the organisation's
 * mean intake. A therapist's effect is their empirical-Bayes deviation in expected end score; for a
 * higher-is-worse scale a negative effect means lower (better) end scores than an average therapist.
 */
/** The outcome the effectiveness mirror and the nightly refit use: PHQ-9 total, higher is worse. */
export const PRIMARY_OUTCOME = { instrumentId: 'phq9', scaleId: 'total', direction: 'higher-is-worse' as const };
export const MIN_EPISODES_PER_THERAPIST = 10;
export const MIN_THERAPISTS_FOR_REPORT = 5;
export const Z95 = 1.959963984540054;

export interface TherapistEstimate {
  therapistId: string;
  episodes: number;
  effect: number;
  condSd: number;
  lower: number;
  upper: number;
  /** Only when the 95% interval excludes zero; in the direction of the scale. */
  verdict: 'more_effective' | 'less_effective' | 'not_distinguishable';
}

export interface EffectsSummary {
  instrumentId: string;
  scaleId: string;
  direction: 'higher-is-worse' | 'higher-is-better';
  fixed: MixedFit['fixed'];
  varcomp: MixedFit['varcomp'];
  icc: number;
  iccCi95: [number, number] | null;
  intakeMean: number;
  episodes: number;
  therapists: number;
  eligibleTherapists: number;
  converged: boolean;
  fittedAt: string;
  dataWindow: { from: string; to: string };
  estimates: TherapistEstimate[];
  /** The same model within intake-severity strata, where each has enough data. */
  strata: Array<{
    label: { nl: string; en: string };
    from: number;
    to: number | null;
    estimates: TherapistEstimate[];
    episodes: number;
    icc: number;
  }>;
}

export function estimatesFrom(
  fit: MixedFit,
  counts: Map<string, number>,
  direction: EffectsSummary['direction'],
): TherapistEstimate[] {
  return fit.therapistEffects.map((e) => {
    const lower = e.blup - Z95 * e.cond_sd;
    const upper = e.blup + Z95 * e.cond_sd;
    const better = direction === 'higher-is-worse' ? upper < 0 : lower > 0;
    const worse = direction === 'higher-is-worse' ? lower > 0 : upper < 0;
    return {
      therapistId: e.therapist,
      episodes: counts.get(e.therapist) ?? e.n,
      effect: e.blup,
      condSd: e.cond_sd,
      lower,
      upper,
      verdict: better ? 'more_effective' : worse ? 'less_effective' : 'not_distinguishable',
    };
  });
}

/** The organisation report is shown only with enough therapists behind it (privacy and precision). */
export function reportAllowed(summary: Pick<EffectsSummary, 'eligibleTherapists'>): boolean {
  return summary.eligibleTherapists >= MIN_THERAPISTS_FOR_REPORT;
}

/** Histogram of effects without identities (bins of fixed width), for the mirror and the manager report. */
export function effectHistogram(effects: number[], width = 0.5): Array<{ from: number; to: number; count: number }> {
  if (effects.length === 0) return [];
  const lo = Math.floor(Math.min(...effects) / width) * width;
  const hi = Math.ceil(Math.max(...effects) / width) * width;
  const bins: Array<{ from: number; to: number; count: number }> = [];
  for (let from = lo; from < hi || bins.length === 0; from += width) bins.push({ from, to: from + width, count: 0 });
  for (const e of effects) bins[Math.min(bins.length - 1, Math.floor((e - lo) / width))].count++;
  return bins;
}

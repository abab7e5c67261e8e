import type { CompiledScorer } from '../instruments/compile.ts';
import type { ScaleSpec } from '../instruments/scoring-spec.ts';

/**
 * The scale that tracks outcome: the first top-level scale with a direction and a way to judge
 * reliable change (a reliability with a sourced SD, or a published reliable-change threshold).
 */
export function outcomeScale(scorer: CompiledScorer): ScaleSpec | null {
  if (allianceScale(scorer)) return null;
  return (
    scorer.spec?.scales.find(
      (s) =>
        s.subscaleOf === null &&
        s.direction !== 'none' &&
        ((s.reliability !== null && (s.sd !== null || s.clinical !== null)) || s.reliableChange !== null),
    ) ?? null
  );
}

/** A scale with an "alliance low" flag marks a working-alliance measure (the flag gives its threshold). */
export function allianceScale(scorer: CompiledScorer): { scale: ScaleSpec; lowThreshold: number } | null {
  for (const scale of scorer.spec?.scales ?? []) {
    const flag = scale.flags.find((f) => /alliance/.test(f.code) && (f.operator === '<' || f.operator === '<='));
    if (flag) return { scale, lowThreshold: flag.threshold };
  }
  return null;
}

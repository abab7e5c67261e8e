import type { Kysely } from 'kysely';
import type { MeasuredEffectiveness } from '../../domain/reflection/self-view.ts';
import { MIN_EPISODES_PER_THERAPIST, type EffectsSummary } from '../../domain/feedback/effects.ts';
import { latestEffects } from '../../store/analytics/therapist-effects.ts';
import type { Database } from '../../store/schema.ts';
import { PRIMARY_OUTCOME } from '../../domain/feedback/effects.ts';

/**
 * The measured side of the self-check's professional self-view: the therapist's percentile among the
 * organisation's therapists (higher = more effective, i.e. lower adjusted end scores on a
 * higher-is-worse scale), from the latest therapist-effects run. Null below the minimum of data.
 */
export function measuredFromSummary(summary: EffectsSummary | null, userId: string): MeasuredEffectiveness | null {
  const own = summary?.estimates.find((e) => e.therapistId === userId);
  if (!summary || !own || own.episodes < MIN_EPISODES_PER_THERAPIST || summary.estimates.length < 2) return null;
  const better = (e: number) => (summary.direction === 'higher-is-worse' ? -e : e);
  const below = summary.estimates.filter((e) => better(e.effect) < better(own.effect)).length;
  const ties = summary.estimates.filter((e) => better(e.effect) === better(own.effect)).length;
  const percentile = (100 * (below + 0.5 * ties)) / summary.estimates.length;
  return {
    percentile,
    estimate: {
      value: own.effect,
      lower: own.lower,
      upper: own.upper,
      unit: {
        nl: 'punten eindscore t.o.v. een gemiddelde therapeut',
        en: 'end-score points against an average therapist',
      },
    },
    method: {
      nl: `Multilevelmodel (REML), gecorrigeerd voor beginscore; ${own.episodes} afgeronde behandelingen; berekend ${summary.fittedAt.slice(0, 10)}.`,
      en: `Multilevel model (REML), adjusted for intake score; ${own.episodes} completed episodes; computed ${summary.fittedAt.slice(0, 10)}.`,
    },
  };
}

export async function measuredEffectivenessFor(
  db: Kysely<Database>,
  actor: { orgId: string; userId: string },
): Promise<MeasuredEffectiveness | null> {
  return measuredFromSummary(await latestEffects(db, actor.orgId, PRIMARY_OUTCOME.instrumentId), actor.userId);
}

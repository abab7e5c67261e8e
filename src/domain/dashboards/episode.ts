import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';
import { ruleBasedExpectation, type ExpectedPoint } from '../feedback/expected.ts';
import { assessChange } from '../feedback/reliable-change.ts';
import type { OutcomeSums } from './figures.ts';

export interface EndedEpisode {
  status: 'completed' | 'dropped';
  intake: number;
  intakeBand: string | null;
  /** The last score after intake, or null when only the intake was measured. */
  last: { value: number; session: number } | null;
}

/**
 * One ended episode's contribution to the outcome sums: its change class by the basis its instrument
 * supports (Jacobson–Truax RCI, or the published threshold), whether its last score was within the
 * expected course (the organisation's fitted curve, else the rule-based fallback), and its improvement.
 */
export function episodeOutcome(
  episode: EndedEpisode,
  params: ReliableChangeParameters,
  expected: (intake: number, session: number) => ExpectedPoint | null = (intake, session) =>
    ruleBasedExpectation(intake, session, params.direction !== 'higher-is-better'),
): Partial<OutcomeSums> {
  const out: Partial<OutcomeSums> = {
    ended: 1,
    dropped: episode.status === 'dropped' ? 1 : 0,
    intakeBands: { [episode.intakeBand ?? 'unknown']: 1 },
  };
  if (!episode.last) return out;
  const change = assessChange(episode.intake, episode.last.value, params);
  out.paired = 1;
  out.sumImprovement = change.improvement;
  out.sumImprovement2 = change.improvement * change.improvement;
  if (change.class) out[change.class] = 1;
  const band = expected(episode.intake, episode.last.session);
  if (band && params.direction !== 'none') {
    out.trackJudged = 1;
    const within =
      params.direction === 'higher-is-worse' ? episode.last.value <= band.upper : episode.last.value >= band.lower;
    out.onTrack = within ? 1 : 0;
  }
  return out;
}

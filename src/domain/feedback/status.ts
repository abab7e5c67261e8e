import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';
import type { ExpectedPoint } from './expected.ts';
import { assessChange } from './reliable-change.ts';

export type EpisodeStatus =
  'risk' | 'deteriorated' | 'not_on_track' | 'alliance_concern' | 'recovered' | 'on_track' | 'no_data';

/** Caseload order: what needs attention first. */
export const STATUS_PRIORITY: EpisodeStatus[] = [
  'risk',
  'deteriorated',
  'not_on_track',
  'alliance_concern',
  'recovered',
  'on_track',
  'no_data',
];

export interface StatusInput {
  outcomes: Array<{ intake: number; latest: number; params: ReliableChangeParameters; expected: ExpectedPoint | null }>;
  alliance: { latest: number; earlierMean: number | null; lowThreshold: number; dropThreshold: number } | null;
  /** The newest response of any participant endorsed a risk item. */
  latestRisk: boolean;
}

/** The caseload status of an episode from its latest measurements (pure; the same rules as the alerts). */
export function episodeStatus(input: StatusInput): EpisodeStatus {
  if (input.latestRisk) return 'risk';
  if (input.outcomes.length === 0 && !input.alliance) return 'no_data';
  const statuses: EpisodeStatus[] = [];
  for (const o of input.outcomes) {
    const change = assessChange(o.intake, o.latest, o.params);
    if (change.class === 'deteriorated') statuses.push('deteriorated');
    else if (
      o.expected &&
      (o.params.direction === 'higher-is-worse'
        ? o.latest > o.expected.upper
        : o.params.direction === 'higher-is-better' && o.latest < o.expected.lower)
    )
      statuses.push('not_on_track');
    else if (change.class === 'recovered') statuses.push('recovered');
  }
  const a = input.alliance;
  if (a && (a.latest < a.lowThreshold || (a.earlierMean !== null && a.earlierMean - a.latest >= a.dropThreshold)))
    statuses.push('alliance_concern');
  return STATUS_PRIORITY.find((s) => statuses.includes(s)) ?? 'on_track';
}

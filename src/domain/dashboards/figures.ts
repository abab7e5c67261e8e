import { dzCi } from '../stats/effectsize.ts';

/**
 * The sums a dashboard cell carries, and the figures computed from the sums of a group. Sums add
 * across therapists, quarters and modalities, so any group's figures come from its cells alone.
 */

export interface OutcomeSums {
  /** Episodes that ended (completed or dropped) with at least an intake score. */
  ended: number;
  dropped: number;
  /** Episodes with an intake and a later score: the base of the change classes and the effect size. */
  paired: number;
  recovered: number;
  improved: number;
  unchanged: number;
  deteriorated: number;
  /** Paired episodes whose last score could be judged against the expected course, and of those on track. */
  trackJudged: number;
  onTrack: number;
  /** Improvement (positive = better, in raw score points) and its square, over paired episodes. */
  sumImprovement: number;
  sumImprovement2: number;
  /** Intake severity: episodes by the intake score's band. */
  intakeBands: Record<string, number>;
}

export interface ActivitySums {
  invitationsSent: number;
  invitationsOpened: number;
  invitationsCompleted: number;
  sessionsHeld: number;
  sessionsMeasured: number;
  /** Risk and not-on-track alerts raised, handled, and handled within 24 h, 72 h and 7 days. */
  alerts: number;
  alertsHandled: number;
  handledWithin: Record<'24' | '72' | '168', number>;
  handlingHours: number;
}

export const FOLLOW_UP_HOURS = [24, 72, 168] as const;
export type FollowUpHours = (typeof FOLLOW_UP_HOURS)[number];

export function emptyOutcome(): OutcomeSums {
  return {
    ended: 0,
    dropped: 0,
    paired: 0,
    recovered: 0,
    improved: 0,
    unchanged: 0,
    deteriorated: 0,
    trackJudged: 0,
    onTrack: 0,
    sumImprovement: 0,
    sumImprovement2: 0,
    intakeBands: {},
  };
}

export function emptyActivity(): ActivitySums {
  return {
    invitationsSent: 0,
    invitationsOpened: 0,
    invitationsCompleted: 0,
    sessionsHeld: 0,
    sessionsMeasured: 0,
    alerts: 0,
    alertsHandled: 0,
    handledWithin: { '24': 0, '72': 0, '168': 0 },
    handlingHours: 0,
  };
}

/** Adds b into a (numbers and one level of nested number maps). */
export function addSums<T extends object>(a: T, b: Partial<T>): T {
  const target = a as Record<string, unknown>;
  for (const [key, value] of Object.entries(b)) {
    if (typeof value === 'number') target[key] = ((target[key] as number) ?? 0) + value;
    else if (value && typeof value === 'object') {
      const inner = (target[key] ??= {}) as Record<string, number>;
      for (const [k, v] of Object.entries(value as Record<string, number>)) inner[k] = (inner[k] ?? 0) + v;
    }
  }
  return a;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export interface OutcomeFigures {
  ended: number;
  paired: number;
  dropoutShare: number | null;
  classes: Record<'recovered' | 'improved' | 'unchanged' | 'deteriorated', { count: number; share: number | null }>;
  onTrackShare: number | null;
  trackJudged: number;
  /** Standardised mean change d_z (mean improvement / its SD) with a 95% interval (noncentral t). */
  effect: { dz: number; ci: [number, number]; meanImprovement: number } | null;
  intakeBands: Array<{ band: string; count: number; share: number }>;
}

export function outcomeFigures(s: OutcomeSums, bandOrder: string[] = []): OutcomeFigures {
  const classes = Object.fromEntries(
    (['recovered', 'improved', 'unchanged', 'deteriorated'] as const).map((c) => [
      c,
      { count: s[c], share: share(s[c], s.paired) },
    ]),
  ) as OutcomeFigures['classes'];
  let effect: OutcomeFigures['effect'] = null;
  if (s.paired >= 3) {
    const mean = s.sumImprovement / s.paired;
    const variance = (s.sumImprovement2 - s.paired * mean * mean) / (s.paired - 1);
    if (variance > 1e-12) {
      const dz = mean / Math.sqrt(variance);
      effect = { dz, ci: dzCi(dz, s.paired), meanImprovement: mean };
    }
  }
  const totalBands = Object.values(s.intakeBands).reduce((a, b) => a + b, 0);
  const order = (band: string) => (bandOrder.includes(band) ? bandOrder.indexOf(band) : bandOrder.length);
  return {
    ended: s.ended,
    paired: s.paired,
    dropoutShare: share(s.dropped, s.ended),
    classes,
    onTrackShare: share(s.onTrack, s.trackJudged),
    trackJudged: s.trackJudged,
    effect,
    intakeBands: Object.entries(s.intakeBands)
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([band, count]) => ({ band, count, share: count / totalBands })),
  };
}

export interface ActivityFigures {
  invitationsSent: number;
  openedShare: number | null;
  completedShare: number | null;
  invitationsOpened: number;
  invitationsCompleted: number;
  sessionsHeld: number;
  measuredShare: number | null;
  alerts: number;
  handledShare: number | null;
  handledInTimeShare: number | null;
  /** Mean hours from alert to handling, over handled alerts. */
  meanHandlingHours: number | null;
}

export function activityFigures(s: ActivitySums, followUpHours: FollowUpHours): ActivityFigures {
  return {
    invitationsSent: s.invitationsSent,
    invitationsOpened: s.invitationsOpened,
    invitationsCompleted: s.invitationsCompleted,
    openedShare: share(s.invitationsOpened, s.invitationsSent),
    completedShare: share(s.invitationsCompleted, s.invitationsSent),
    sessionsHeld: s.sessionsHeld,
    measuredShare: share(s.sessionsMeasured, s.sessionsHeld),
    alerts: s.alerts,
    handledShare: share(s.alertsHandled, s.alerts),
    handledInTimeShare: share(s.handledWithin[String(followUpHours) as '24'] ?? 0, s.alerts),
    meanHandlingHours: s.alertsHandled > 0 ? s.handlingHours / s.alertsHandled : null,
  };
}

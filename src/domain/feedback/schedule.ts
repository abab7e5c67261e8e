/** When an instrument is due in an episode (stored as `instrument_schedules.schedule`). */
export type Schedule = 'every_session' | 'intake' | 'every_n' | 'end';

export interface PlanEntry {
  instrument_id: string;
  schedule: Schedule;
  every_n: number | null;
}

/**
 * Which planned instruments are due at a session: every session; intake (session 1); every N
 * sessions (1, 1+N, 1+2N, …, so intake is always measured); end (only when the session is marked as
 * the last one).
 */
export function instrumentsDue(plans: readonly PlanEntry[], sessionNumber: number, isLastSession = false): string[] {
  return plans
    .filter((plan) => {
      switch (plan.schedule) {
        case 'every_session':
          return true;
        case 'intake':
          return sessionNumber === 1;
        case 'every_n':
          return (sessionNumber - 1) % (plan.every_n ?? 1) === 0;
        case 'end':
          return isLastSession;
      }
    })
    .map((plan) => plan.instrument_id);
}

/** The next session number at which any instrument is due, for the caseload's "next measurement". */
export function nextMeasuredSession(plans: readonly PlanEntry[], afterSession: number): number | null {
  for (let s = afterSession + 1; s <= afterSession + 52; s++) if (instrumentsDue(plans, s).length > 0) return s;
  return null;
}

export interface SessionEntry {
  number: number;
  status: 'planned' | 'held' | 'cancelled';
}

/**
 * The session an invitation is for when the therapist names none: the first planned session, or else
 * the one after the last recorded session (a measurement precedes the session it informs).
 */
export function nextSessionNumber(sessions: readonly SessionEntry[]): number {
  const planned = sessions.filter((s) => s.status === 'planned').map((s) => s.number);
  if (planned.length > 0) return Math.min(...planned);
  return Math.max(0, ...sessions.map((s) => s.number)) + 1;
}

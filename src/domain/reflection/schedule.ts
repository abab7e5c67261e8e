/**
 * The periodic check-up (the "APK" of seed 004): the therapist chooses the interval, Spiegel reminds
 * them on their own pages when the next check-up is due. Nobody else sees the schedule.
 */

export const INTERVAL_CHOICES = [3, 6, 12] as const;
export type IntervalMonths = (typeof INTERVAL_CHOICES)[number];
export const DEFAULT_INTERVAL: IntervalMonths = 6;

export function isInterval(value: unknown): value is IntervalMonths {
  return typeof value === 'number' && (INTERVAL_CHOICES as readonly number[]).includes(value);
}

/** Adds calendar months, clamping to the last day of the target month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const out = new Date(date.getTime());
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, lastDay));
  return out;
}

export type Reminder =
  /** Never done a check-up: invite, without pressure. */
  | { status: 'never' }
  | { status: 'due'; dueOn: Date; lastCompletedOn: Date; overdueDays: number }
  | { status: 'not-due'; dueOn: Date; lastCompletedOn: Date }
  /** A check-up is under way. */
  | { status: 'in-progress'; startedOn: Date };

export function reminder(input: {
  lastCompletedAt: Date | null;
  draftStartedAt: Date | null;
  intervalMonths: IntervalMonths;
  now: Date;
}): Reminder {
  if (input.draftStartedAt) return { status: 'in-progress', startedOn: input.draftStartedAt };
  if (!input.lastCompletedAt) return { status: 'never' };
  const dueOn = addMonths(input.lastCompletedAt, input.intervalMonths);
  if (input.now.getTime() >= dueOn.getTime()) {
    return {
      status: 'due',
      dueOn,
      lastCompletedOn: input.lastCompletedAt,
      overdueDays: Math.floor((input.now.getTime() - dueOn.getTime()) / 86_400_000),
    };
  }
  return { status: 'not-due', dueOn, lastCompletedOn: input.lastCompletedAt };
}

import { SpiegelError } from '../errors.ts';
import { DEFAULT_MINIMA, type Minima } from './protection.ts';
import { FOLLOW_UP_HOURS, type FollowUpHours } from './figures.ts';

/**
 * The organisation's dashboard settings (key `dashboards` of organisations.settings). The minimum
 * group sizes can only be raised above the defaults: a stored value below them counts as the default.
 */
export interface DashboardSettings {
  minima: Minima;
  /** "Handled within" for the follow-up figures. */
  followUpHours: FollowUpHours;
}

export const MINIMA_BOUNDS = {
  therapists: { min: DEFAULT_MINIMA.therapists, max: 50 },
  episodes: { min: DEFAULT_MINIMA.episodes, max: 500 },
} as const;

function bounded(value: unknown, range: { min: number; max: number }): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max
    ? value
    : range.min;
}

export function dashboardSettings(orgSettings: Record<string, unknown>): DashboardSettings {
  const raw = (orgSettings.dashboards ?? {}) as Record<string, unknown>;
  const hours = raw.followUpHours;
  return {
    minima: {
      therapists: bounded(raw.minTherapists, MINIMA_BOUNDS.therapists),
      episodes: bounded(raw.minEpisodes, MINIMA_BOUNDS.episodes),
    },
    followUpHours: FOLLOW_UP_HOURS.includes(hours as FollowUpHours) ? (hours as FollowUpHours) : 72,
  };
}

/** The stored shape of the settings (what the admin page writes). */
export function storedDashboardSettings(s: DashboardSettings): Record<string, number> {
  return { minTherapists: s.minima.therapists, minEpisodes: s.minima.episodes, followUpHours: s.followUpHours };
}

/** From the admin form: whole numbers within the bounds (so never below the defaults), hours from the list. */
export function parseDashboardSettings(body: Record<string, unknown>): DashboardSettings {
  const whole = (v: unknown, field: string, r: { min: number; max: number }) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < r.min || n > r.max)
      throw new SpiegelError('VALIDATION_FAILED', `body.${field} must be a whole number from ${r.min} to ${r.max}.`, {
        fields: [{ field: `body.${field}`, message: `must be ${r.min} to ${r.max}` }],
      });
    return n;
  };
  const hours = Number(body.followUpHours);
  if (!FOLLOW_UP_HOURS.includes(hours as FollowUpHours))
    throw new SpiegelError('VALIDATION_FAILED', 'body.followUpHours must be 24, 72 or 168.', {
      fields: [{ field: 'body.followUpHours', message: 'must be 24, 72 or 168' }],
    });
  return {
    minima: {
      therapists: whole(body.minTherapists, 'minTherapists', MINIMA_BOUNDS.therapists),
      episodes: whole(body.minEpisodes, 'minEpisodes', MINIMA_BOUNDS.episodes),
    },
    followUpHours: hours as FollowUpHours,
  };
}

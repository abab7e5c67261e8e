import { SpiegelError } from '../errors.ts';
import { DEFAULT_RULE_SETTINGS, type AlertRuleSettings } from '../feedback/alerts.ts';

/**
 * The admin-editable sections of organisations.settings, each under its own key: `crisisContacts`,
 * `alertRules`, `measurementDefaults` (the dashboards' key is in domain/dashboards/settings.ts).
 * Readers treat anything invalid as the default; writers validate and refuse.
 */

export interface CrisisContact {
  nl: string;
  en: string;
  href: string;
}

export const ALERT_BOUNDS = {
  noImprovementBySession: { min: 3, max: 20 },
  allianceDrop: { min: 0.5, max: 4 },
} as const;

export interface MeasurementDefaults {
  schedule: 'every_session' | 'every_n';
  everyN: number;
  linkValidDays: number;
  /** 0: no reminder. */
  reminderAfterDays: number;
}

export const MEASUREMENT_BOUNDS = {
  everyN: { min: 2, max: 8 },
  linkValidDays: { min: 1, max: 14 },
  reminderAfterDays: { min: 0, max: 7 },
} as const;

export const DEFAULT_MEASUREMENT: MeasurementDefaults = {
  schedule: 'every_session',
  everyN: 2,
  linkValidDays: 7,
  reminderAfterDays: 2,
};

function invalid(field: string, message: string): never {
  throw new SpiegelError('VALIDATION_FAILED', `body.${field} ${message}.`, {
    fields: [{ field: `body.${field}`, message }],
  });
}

function number(value: unknown, field: string, range: { min: number; max: number }, step = 1): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value.replace(',', '.'))
        : NaN;
  if (!Number.isFinite(n) || n < range.min || n > range.max || Math.abs(n / step - Math.round(n / step)) > 1e-9)
    invalid(field, `must be a number from ${range.min} to ${range.max}${step !== 1 ? ` in steps of ${step}` : ''}`);
  return n;
}

const HREF = /^(tel:\+?[0-9 -]{3,20}|mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s"<>]{3,200})$/;

/** Crisis contacts from form rows; empty rows are skipped, a half-filled row is refused. */
export function parseCrisisContacts(rows: Array<{ nl?: string; en?: string; href?: string }>): CrisisContact[] {
  const out: CrisisContact[] = [];
  rows.forEach((row, i) => {
    const nl = (row.nl ?? '').trim();
    const en = (row.en ?? '').trim();
    const href = (row.href ?? '').trim();
    if (!nl && !en && !href) return;
    if (!nl || !en || !href) invalid(`contacts[${i}]`, 'needs a Dutch text, an English text and a link');
    if (nl.length > 200 || en.length > 200) invalid(`contacts[${i}]`, 'texts must be at most 200 characters');
    if (!HREF.test(href)) invalid(`contacts[${i}].href`, 'must start with tel:, mailto: or https://');
    out.push({ nl, en, href });
  });
  return out;
}

export function crisisContacts(settings: Record<string, unknown>): CrisisContact[] | null {
  const v = settings.crisisContacts;
  if (!Array.isArray(v)) return null;
  const ok = v.filter(
    (c): c is CrisisContact =>
      !!c && typeof c.nl === 'string' && typeof c.en === 'string' && typeof c.href === 'string' && HREF.test(c.href),
  );
  return ok.length > 0 ? ok : null;
}

export function alertRules(settings: Record<string, unknown>): AlertRuleSettings {
  const raw = (settings.alertRules ?? {}) as Record<string, unknown>;
  const within = (v: unknown, r: { min: number; max: number }, d: number) =>
    typeof v === 'number' && v >= r.min && v <= r.max ? v : d;
  return {
    noImprovementBySession: within(
      raw.noImprovementBySession,
      ALERT_BOUNDS.noImprovementBySession,
      DEFAULT_RULE_SETTINGS.noImprovementBySession,
    ),
    allianceDrop: within(raw.allianceDrop, ALERT_BOUNDS.allianceDrop, DEFAULT_RULE_SETTINGS.allianceDrop),
  };
}

export function parseAlertRules(body: { noImprovementBySession?: unknown; allianceDrop?: unknown }): AlertRuleSettings {
  return {
    noImprovementBySession: number(
      body.noImprovementBySession,
      'noImprovementBySession',
      ALERT_BOUNDS.noImprovementBySession,
    ),
    allianceDrop: number(body.allianceDrop, 'allianceDrop', ALERT_BOUNDS.allianceDrop, 0.5),
  };
}

export function measurementDefaults(settings: Record<string, unknown>): MeasurementDefaults {
  try {
    return parseMeasurementDefaults((settings.measurementDefaults ?? DEFAULT_MEASUREMENT) as Record<string, unknown>);
  } catch {
    return DEFAULT_MEASUREMENT;
  }
}

export function parseMeasurementDefaults(body: Record<string, unknown>): MeasurementDefaults {
  const schedule = body.schedule;
  if (schedule !== 'every_session' && schedule !== 'every_n') invalid('schedule', 'must be every_session or every_n');
  return {
    schedule,
    everyN: number(body.everyN, 'everyN', MEASUREMENT_BOUNDS.everyN),
    linkValidDays: number(body.linkValidDays, 'linkValidDays', MEASUREMENT_BOUNDS.linkValidDays),
    reminderAfterDays: number(body.reminderAfterDays, 'reminderAfterDays', MEASUREMENT_BOUNDS.reminderAfterDays),
  };
}

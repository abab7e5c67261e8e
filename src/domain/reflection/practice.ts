import { SpiegelError } from '../errors.ts';
import { addMonths } from './schedule.ts';
import { local, type LocalText } from './types.ts';

/**
 * Deliberate practice (seed 001): goals per skill, a log of practice with the feedback received, and
 * the practice over time. Chow et al. (2015) found that the time therapists said they spent on
 * improving their skills predicted their clients' outcomes; Hill et al. (2020) named talking about the
 * relationship, handling personal reactions and practising directness as useful parts. The skills list
 * and the log are written by Spiegel (not a validated instrument).
 */

export const SKILLS = [
  'allianceRepair',
  'empathicAttunement',
  'directness',
  'countertransference',
  'humour',
  'custom',
] as const;
export type Skill = (typeof SKILLS)[number];

export function isSkill(value: unknown): value is Skill {
  return typeof value === 'string' && (SKILLS as readonly string[]).includes(value);
}

export const SKILL_LABELS: Record<Skill, LocalText> = {
  allianceRepair: local('Herstel van de werkrelatie', 'Alliance repair'),
  empathicAttunement: local('Empathische afstemming', 'Empathic attunement'),
  directness: local('Directheid', 'Directness'),
  countertransference: local('Omgaan met tegenoverdracht', 'Managing countertransference'),
  humour: local('Humor', 'Humour'),
  custom: local('Eigen vaardigheid', 'Custom skill'),
};

export const PRACTICE_SOURCE: LocalText = local(
  'Chow e.a. (2015) en Hill e.a. (2020), besproken door Frans van Paassen in zijn artikel over de effectieve therapeut: oefenen, oefenen, oefenen.',
  'Chow et al. (2015) and Hill et al. (2020), as discussed by Frans van Paassen in his article on the effective therapist: practise, practise, practise.',
);

/** Plaintext of a goal (encrypted at rest); the skill itself stays in the clear for the chart. */
export interface GoalContent {
  title: string;
  customSkill: string | null;
  description: string;
}

/** Plaintext of a log entry (encrypted at rest); the date and minutes stay in the clear for the chart. */
export interface LogContent {
  practised: string;
  feedback: string;
}

function text(body: Record<string, unknown>, name: string, max: number, required: boolean): string {
  const value = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
  if (required && value === '') throw new SpiegelError('VALIDATION_FAILED', `Fill in ${name}.`, { field: name });
  if (value.length > max)
    throw new SpiegelError('VALIDATION_FAILED', `${name} may hold at most ${max} characters.`, { field: name });
  return value;
}

export function parseGoal(body: Record<string, unknown>): { skill: Skill; content: GoalContent } {
  if (!isSkill(body.skill))
    throw new SpiegelError('VALIDATION_FAILED', 'Choose a skill from the list.', { field: 'skill' });
  const customSkill = body.skill === 'custom' ? text(body, 'customSkill', 100, true) : null;
  return {
    skill: body.skill,
    content: {
      title: text(body, 'title', 200, true),
      customSkill,
      description: text(body, 'description', 4000, false),
    },
  };
}

export function parseLog(
  body: Record<string, unknown>,
  today: string,
): { goalId: string; practisedOn: string; minutes: number; content: LogContent } {
  const goalId = typeof body.goalId === 'string' ? body.goalId : '';
  if (!/^[0-9a-f-]{36}$/i.test(goalId))
    throw new SpiegelError('VALIDATION_FAILED', 'Choose one of your goals.', { field: 'goalId' });
  const practisedOn = typeof body.practisedOn === 'string' && body.practisedOn !== '' ? body.practisedOn : today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(practisedOn) || Number.isNaN(Date.parse(practisedOn)) || practisedOn > today) {
    throw new SpiegelError('VALIDATION_FAILED', 'The date must look like 2026-01-31 and may not lie in the future.', {
      field: 'practisedOn',
    });
  }
  const minutes = Number(body.minutes);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600)
    throw new SpiegelError('VALIDATION_FAILED', 'Minutes must be a whole number from 1 to 600.', { field: 'minutes' });
  return {
    goalId,
    practisedOn,
    minutes,
    content: { practised: text(body, 'practised', 4000, true), feedback: text(body, 'feedback', 4000, false) },
  };
}

/** Monday (UTC) of the ISO week of a yyyy-mm-dd date, as yyyy-mm-dd. */
export function weekStart(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  const shift = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - shift);
  return d.toISOString().slice(0, 10);
}

export interface WeekTotal {
  week: string;
  minutes: number;
  bySkill: Partial<Record<Skill, number>>;
}

/** Minutes per ISO week over the last `weeks` weeks up to `today`, including empty weeks. */
export function weeklyTotals(
  logs: Array<{ practisedOn: string; minutes: number; skill: Skill }>,
  today: string,
  weeks = 26,
): WeekTotal[] {
  const last = new Date(`${weekStart(today)}T00:00:00Z`);
  const out: WeekTotal[] = [];
  const index = new Map<string, WeekTotal>();
  for (let i = weeks - 1; i >= 0; i--) {
    const d = new Date(last.getTime() - i * 7 * 86_400_000);
    const total: WeekTotal = { week: d.toISOString().slice(0, 10), minutes: 0, bySkill: {} };
    out.push(total);
    index.set(total.week, total);
  }
  for (const log of logs) {
    const total = index.get(weekStart(log.practisedOn));
    if (!total) continue;
    total.minutes += log.minutes;
    total.bySkill[log.skill] = (total.bySkill[log.skill] ?? 0) + log.minutes;
  }
  return out;
}

/** The first day of the window the chart covers: the outcome trend uses the same window. */
export function windowStart(today: string, months = 6): string {
  return addMonths(new Date(`${today}T00:00:00Z`), -months)
    .toISOString()
    .slice(0, 10);
}

/**
 * Dashboard periods: everything, a calendar year or a calendar quarter (Europe/Amsterdam dates). Only
 * these can be requested, so every period nests in the one above it and small-group protection
 * can reason about the differences between them.
 */
export type Period =
  { kind: 'all' } | { kind: 'year'; year: number } | { kind: 'quarter'; year: number; quarter: number };

export const ALL: Period = { kind: 'all' };

/** "all", "2025" or "2025-Q3"; anything else is null. */
export function parsePeriod(text: string): Period | null {
  if (text === 'all') return ALL;
  const year = /^(20[0-9]{2})$/.exec(text);
  if (year) return { kind: 'year', year: Number(year[1]) };
  const quarter = /^(20[0-9]{2})-Q([1-4])$/.exec(text);
  if (quarter) return { kind: 'quarter', year: Number(quarter[1]), quarter: Number(quarter[2]) };
  return null;
}

export function periodKey(period: Period): string {
  if (period.kind === 'all') return 'all';
  if (period.kind === 'year') return String(period.year);
  return `${period.year}-Q${period.quarter}`;
}

/** Does the period contain the quarter ("2025-Q3")? */
export function periodContains(period: Period, quarter: string): boolean {
  if (period.kind === 'all') return true;
  if (period.kind === 'year') return quarter.startsWith(`${period.year}-`);
  return quarter === periodKey(period);
}

/** Every requestable period for data in these quarters: all, each year, each quarter (ascending). */
export function periodsFor(quarters: Iterable<string>): Period[] {
  const qs = [...new Set(quarters)].sort();
  const years = [...new Set(qs.map((q) => Number(q.slice(0, 4))))];
  return [
    ALL,
    ...years.map((year) => ({ kind: 'year' as const, year })),
    ...qs.map((q) => parsePeriod(q)!).filter(Boolean),
  ];
}

/** The quarters of a period among those present, ascending: the points of a trend. */
export function quartersOf(period: Period, present: Iterable<string>): string[] {
  return [...new Set(present)].filter((q) => periodContains(period, q)).sort();
}

/**
 * A plain, descriptive outcome trend to set beside the practice chart: per month, the mean improvement
 * since the first measurement of each of the therapist's own client series (one participant, one
 * scale). It is not adjusted for case mix and is no estimate of the therapist's effect (the
 * effectiveness mirror does that); the page says so.
 */

export interface ScorePoint {
  /** One participant on one scale in one episode. */
  series: string;
  measuredAt: Date;
  value: number;
}

export interface MonthTrend {
  month: string;
  /** Mean improvement from each series' first value (positive = better), null without data. */
  meanImprovement: number | null;
  measurements: number;
  series: number;
}

/**
 * `higherIsWorse` flips the sign so that a positive number always means improvement. The first value of
 * each series is its baseline, found over all points given (the caller passes the series' whole history)
 * but only months from `fromMonth` (yyyy-mm) are reported.
 */
export function monthlyImprovement(
  points: ScorePoint[],
  higherIsWorse: boolean,
  fromMonth: string,
  toMonth: string,
): MonthTrend[] {
  const sorted = [...points].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  const baseline = new Map<string, number>();
  const months = new Map<string, { sum: number; n: number; series: Set<string> }>();
  for (const p of sorted) {
    if (!baseline.has(p.series)) {
      baseline.set(p.series, p.value);
      continue; // the baseline itself is no change
    }
    const month = p.measuredAt.toISOString().slice(0, 7);
    if (month < fromMonth || month > toMonth) continue;
    const change = p.value - baseline.get(p.series)!;
    const bucket = months.get(month) ?? { sum: 0, n: 0, series: new Set<string>() };
    bucket.sum += higherIsWorse ? -change : change;
    bucket.n += 1;
    bucket.series.add(p.series);
    months.set(month, bucket);
  }
  const out: MonthTrend[] = [];
  for (let m = fromMonth; m <= toMonth; m = nextMonth(m)) {
    const b = months.get(m);
    out.push({
      month: m,
      meanImprovement: b ? b.sum / b.n : null,
      measurements: b?.n ?? 0,
      series: b?.series.size ?? 0,
    });
  }
  return out;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

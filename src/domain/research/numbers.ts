/** Small order statistics for research data (the statistics core works on means and variances). */

/** Median by sorting a copy; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

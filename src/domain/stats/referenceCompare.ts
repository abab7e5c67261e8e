/**
 * Tolerance rules for comparing Spiegel's numbers with R's reference values (used by the tests):
 * 1e-9 relative, or 1e-300 absolute for values below 1e-300, where only the absolute size matters.
 */

export const REL_TOL = 1e-9;
export const TINY = 1e-300;

/** Relative error of `actual` against `expected`; the tiny-value rule folded in (0 means "close"). */
export function relativeError(actual: number, expected: number): number {
  if (Object.is(actual, expected)) return 0;
  if (typeof actual !== 'number' || Number.isNaN(actual)) return Infinity;
  if (Math.abs(expected) < TINY) return Math.abs(actual - expected) <= TINY ? 0 : Infinity;
  return Math.abs(actual - expected) / Math.abs(expected);
}

export interface Mismatch {
  path: string;
  actual: unknown;
  expected: unknown;
  error: number;
}

/**
 * Walks `expected` and compares every number in it with the same place in `actual`; other leaves
 * must be equal. Returns the worst relative error and the mismatches beyond `tol`.
 */
export function compareDeep(
  actual: unknown,
  expected: unknown,
  tol = REL_TOL,
  path = '',
): { worst: number; worstPath: string; mismatches: Mismatch[] } {
  const result = { worst: 0, worstPath: '', mismatches: [] as Mismatch[] };
  const walk = (a: unknown, e: unknown, p: string): void => {
    if (typeof e === 'number') {
      const err = typeof a === 'number' ? relativeError(a, e) : Infinity;
      if (err > result.worst) {
        result.worst = err;
        result.worstPath = p;
      }
      if (!(err <= tol)) result.mismatches.push({ path: p, actual: a, expected: e, error: err });
    } else if (Array.isArray(e)) {
      if (!Array.isArray(a) || a.length !== e.length)
        result.mismatches.push({ path: p, actual: a, expected: e, error: Infinity });
      else e.forEach((v, i) => walk(a[i], v, `${p}[${i}]`));
    } else if (e !== null && typeof e === 'object') {
      if (a === null || typeof a !== 'object')
        result.mismatches.push({ path: p, actual: a, expected: e, error: Infinity });
      else for (const [k, v] of Object.entries(e)) walk((a as Record<string, unknown>)[k], v, `${p}.${k}`);
    } else if (a !== e) result.mismatches.push({ path: p, actual: a, expected: e, error: Infinity });
  };
  walk(actual, expected, path);
  return result;
}

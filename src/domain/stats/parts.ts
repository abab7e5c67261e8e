/**
 * Per-part results. A case (or a composite test such as the one-way ANOVA) holds several statistics;
 * when one of them is undefined for the data, it carries `{ error: { code, message } }` in its place
 * and the others are still returned. Never a silent NaN, never a silently dropped statistic.
 */
import { isSpiegelError, type ErrorCode } from '../errors.ts';

export interface StatError {
  error: { code: ErrorCode; message: string };
}

export type Part<T> = T | StatError;

export function isStatError(value: unknown): value is StatError {
  return typeof value === 'object' && value !== null && 'error' in value && Object.keys(value).length === 1;
}

/** Runs `fn`; a SpiegelError becomes the part's error, anything else (a bug) is rethrown. */
export function part<T>(fn: () => T): Part<T> {
  try {
    return fn();
  } catch (error) {
    if (!isSpiegelError(error)) throw error;
    return { error: { code: error.code, message: error.message } };
  }
}

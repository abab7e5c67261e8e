/**
 * Input checks shared by every test. They turn bad input into a SpiegelError with a precise message,
 * so a report never shows NaN or Infinity.
 */
import { SpiegelError } from '../errors.ts';

export function invalid(message: string, details?: unknown): never {
  throw new SpiegelError('STATS_INPUT_INVALID', message, details);
}

export function degenerate(message: string, details?: unknown): never {
  throw new SpiegelError('STATS_DEGENERATE', message, details);
}

/** A finite number, or a STATS_INPUT_INVALID naming the field. */
export function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    invalid(`${name} must be a finite number.`, { field: name, value: String(value) });
  return value;
}

export function positive(value: unknown, name: string): number {
  const v = finite(value, name);
  if (v <= 0) invalid(`${name} must be greater than 0.`, { field: name, value: v });
  return v;
}

export function nonNegative(value: unknown, name: string): number {
  const v = finite(value, name);
  if (v < 0) invalid(`${name} must not be negative.`, { field: name, value: v });
  return v;
}

/** A whole-number count of at least `min`; a smaller count is degenerate, not malformed. */
export function count(value: unknown, name: string, min: number): number {
  const v = finite(value, name);
  if (!Number.isInteger(v) || v < 0) invalid(`${name} must be a whole number of cases.`, { field: name, value: v });
  if (v < min) degenerate(`${name} must be at least ${min}; got ${v}.`, { field: name, value: v, minimum: min });
  return v;
}

/** A proportion strictly inside (lo, hi) bounds given, e.g. a reliability in [0, 1). */
export function inRange(value: unknown, name: string, lo: number, hi: number, hiInclusive = false): number {
  const v = finite(value, name);
  if (v < lo || v > hi || (!hiInclusive && v === hi)) {
    invalid(`${name} must be between ${lo} and ${hi}${hiInclusive ? '' : ' (exclusive)'}; got ${v}.`, {
      field: name,
      value: v,
    });
  }
  return v;
}

/** An array of finite numbers with at least `min` elements. */
export function sample(values: unknown, name: string, min: number): number[] {
  if (!Array.isArray(values)) invalid(`${name} must be an array of numbers.`, { field: name });
  const out = values.map((v, i) => finite(v, `${name}[${i}]`));
  if (out.length < min)
    degenerate(`${name} needs at least ${min} values; got ${out.length}.`, {
      field: name,
      n: out.length,
      minimum: min,
    });
  return out;
}

/** A confidence level such as 0.95. */
export function level(value: number | undefined): number {
  const v = value ?? 0.95;
  if (!(v > 0 && v < 1))
    invalid(`The confidence level must be between 0 and 1; got ${v}.`, { field: 'level', value: v });
  return v;
}

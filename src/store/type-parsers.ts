// Both drivers return int8 (count(*), bigserial) and numeric as strings; Spiegel wants numbers on both.
// Integers beyond 2^53 are refused rather than silently rounded. Shared by the PostgreSQL pool and the
// embedded database's thread (pglite-thread.ts), which cannot be handed functions.
const INT8_OID = 20;
const NUMERIC_OID = 1700;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return n;
}

export const typeParsers: Record<number, (value: string) => unknown> = {
  [INT8_OID]: parseInt8,
  [NUMERIC_OID]: (value: string) => Number(value),
};

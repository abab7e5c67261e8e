import type { ScoreResult } from '../domain/instruments/compile.ts';

/** The per-scale rows a scored response adds to the `scores` table (the rest is filled by the caller). */
export interface ScoreRow {
  scale_id: string;
  value: number | null;
  band: string | null;
  risk: boolean;
}

export function scoreRowsFromResult(result: ScoreResult): ScoreRow[] {
  const risk = result.risks.length > 0;
  return result.scales.map((scale) => ({
    scale_id: scale.id,
    value: scale.value,
    band: scale.band?.code ?? null,
    risk,
  }));
}

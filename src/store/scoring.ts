import { shippedInstruments } from '../server/instrument-registry.ts';
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

/** Scores a QuestionnaireResponse with the shipped instrument and returns its score rows. */
export function scoreRows(instrumentId: string, response: unknown): ScoreRow[] {
  return scoreRowsFromResult(shippedInstruments().get(instrumentId).score(response));
}

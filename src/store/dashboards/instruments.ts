import type { Kysely } from 'kysely';
import type { CompiledScorer } from '../../domain/instruments/compile.ts';
import { reliableChangeParameters } from '../../domain/instruments/reliable-change.ts';
import { outcomeScale } from '../../domain/feedback/instrument-roles.ts';
import type { Band } from '../../domain/instruments/scoring-spec.ts';
import type { Database } from '../schema.ts';
import { latestCurve } from '../submit-alerts.ts';
import type { OutcomeInstrument } from './refresh.ts';

export interface OutcomeInstrumentInfo {
  instrumentId: string;
  scaleId: string;
  title: string;
  bands: Band[];
}

/** The instruments with an outcome scale (a direction and a basis for reliable change), by id. */
export function outcomeInstrumentInfo(scorers: CompiledScorer[]): OutcomeInstrumentInfo[] {
  return scorers
    .map((scorer) => {
      const scale = outcomeScale(scorer);
      if (!scale) return null;
      return {
        instrumentId: scorer.instrumentId,
        scaleId: scale.id,
        title: scorer.questionnaire.title ?? scorer.instrumentId,
        bands: [...scale.bands],
      };
    })
    .filter((x): x is OutcomeInstrumentInfo => x !== null)
    .sort((a, b) => a.instrumentId.localeCompare(b.instrumentId));
}

/** What the refresh needs per outcome instrument: its reliable-change parameters and fitted course. */
export async function outcomeInstruments(
  db: Kysely<Database>,
  orgId: string,
  scorers: CompiledScorer[],
): Promise<OutcomeInstrument[]> {
  const out: OutcomeInstrument[] = [];
  for (const scorer of scorers) {
    const scale = outcomeScale(scorer);
    if (!scale) continue;
    out.push({
      instrumentId: scorer.instrumentId,
      scaleId: scale.id,
      params: reliableChangeParameters(scale),
      curve: await latestCurve(db, orgId, scorer.instrumentId),
    });
  }
  return out;
}

import { compileScorer, type CompiledScorer, type ScoreResult } from './compile.ts';
import type { Questionnaire } from './fhir.ts';

// Compiled scorers per questionnaire object, so the convenience API costs one compile per instrument.
const cache = new WeakMap<object, CompiledScorer>();

/**
 * Scores a QuestionnaireResponse with the questionnaire's declared rules. Scales get a value (or null when
 * the missing-item rule says so), a band, flags, clinical range and reliable-change parameters; risk items
 * raise flags whatever the totals. The questionnaire is compiled once and cached by identity.
 */
export function scoreResponse(questionnaire: Questionnaire, response: unknown): ScoreResult {
  let scorer = cache.get(questionnaire);
  if (!scorer) {
    scorer = compileScorer(questionnaire);
    cache.set(questionnaire, scorer);
  }
  return scorer.score(response);
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileScorer, type CompiledScorer } from '../domain/instruments/compile.ts';
import { SpiegelError } from '../domain/errors.ts';

export const SHIPPED_INSTRUMENTS_DIR = fileURLToPath(new URL('../../instruments/', import.meta.url));

/** The compiled instruments the server knows: the shipped library (organisations enable them per org). */
export interface InstrumentRegistry {
  get(id: string): CompiledScorer;
  has(id: string): boolean;
  all(): CompiledScorer[];
}

/** Loads and compiles every Questionnaire in a folder once, at start. A broken file stops the start. */
export function loadInstrumentRegistry(dir = SHIPPED_INSTRUMENTS_DIR): InstrumentRegistry {
  const byId = new Map<string, CompiledScorer>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let scorer: CompiledScorer;
    try {
      scorer = compileScorer(JSON.parse(readFileSync(dir + file, 'utf8')));
    } catch (error) {
      throw new SpiegelError(
        'QUESTIONNAIRE_INVALID',
        `The shipped instrument ${file} is not valid: ${(error as Error).message}`,
        (error as SpiegelError).details,
      );
    }
    byId.set(scorer.instrumentId, scorer);
  }
  return {
    get(id) {
      const scorer = byId.get(id);
      if (!scorer) throw new SpiegelError('INSTRUMENT_UNKNOWN', `Unknown instrument "${id}".`, { instrumentId: id });
      return scorer;
    },
    has: (id) => byId.has(id),
    all: () => [...byId.values()],
  };
}

let shared: InstrumentRegistry | null = null;
/** The shipped library, loaded once per process. */
export function shippedInstruments(): InstrumentRegistry {
  shared ??= loadInstrumentRegistry();
  return shared;
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileScorer, type CompiledScorer } from '../domain/instruments/compile.ts';
import { registryOf, type InstrumentRegistry } from '../domain/instruments/registry.ts';
import { SpiegelError } from '../domain/errors.ts';

export type { InstrumentRegistry } from '../domain/instruments/registry.ts';

export const SHIPPED_INSTRUMENTS_DIR = fileURLToPath(new URL('../../instruments/', import.meta.url));

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
  return registryOf(new Map([...byId].map(([id, scorer]) => [id, { scorer, version: null }])), new Map(), byId);
}

let shared: InstrumentRegistry | null = null;
/** The shipped library, loaded once per process. */
export function shippedInstruments(): InstrumentRegistry {
  shared ??= loadInstrumentRegistry();
  return shared;
}

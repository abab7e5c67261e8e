import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileScorer, type CompiledScorer } from '../domain/instruments/compile.ts';
import { registryOf, type InstrumentRegistry } from '../domain/instruments/registry.ts';
import { SpiegelError } from '../domain/errors.ts';
import { buildInstrumentLibrary, parseInstrumentJson, type InstrumentLibrary } from '../domain/instruments/library.ts';

export type { InstrumentRegistry } from '../domain/instruments/registry.ts';

export const SHIPPED_INSTRUMENTS_DIR = fileURLToPath(new URL('../../instruments/', import.meta.url));

/** The one reader of instrument folders: every *.json, sorted by name, with its text. */
function readInstrumentFiles(dir: string): { name: string; origin: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, origin: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * The validated library of one or more folders (licence metadata required), as `spiegel instruments`
 * lists and checks it. Files that fail to parse or validate are listed in `rejected`.
 */
export function loadInstrumentLibrary(...dirs: string[]): InstrumentLibrary {
  const documents: { origin: string; json: unknown }[] = [];
  const unreadable: InstrumentLibrary['rejected'] = [];
  for (const dir of dirs.length > 0 ? dirs : [SHIPPED_INSTRUMENTS_DIR]) {
    for (const file of readInstrumentFiles(dir)) {
      const parsed = parseInstrumentJson(file.text);
      if ('error' in parsed) unreadable.push({ origin: file.origin, issues: [parsed.error] });
      else documents.push({ origin: file.origin, json: parsed.json });
    }
  }
  const library = buildInstrumentLibrary(documents);
  library.rejected.unshift(...unreadable);
  return library;
}

/** Loads and compiles every Questionnaire in a folder once, at start. A broken file stops the start. */
export function loadInstrumentRegistry(dir = SHIPPED_INSTRUMENTS_DIR): InstrumentRegistry {
  const byId = new Map<string, CompiledScorer>();
  for (const file of readInstrumentFiles(dir)) {
    let scorer: CompiledScorer;
    try {
      scorer = compileScorer(JSON.parse(file.text));
    } catch (error) {
      throw new SpiegelError(
        'QUESTIONNAIRE_INVALID',
        `The shipped instrument ${file.name} is not valid: ${(error as Error).message}`,
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

import { instrumentCatalogEntry, type CatalogEntry } from './catalog.ts';
import { compileScorer, type CompiledScorer } from './compile.ts';
import type { Questionnaire } from './fhir.ts';
import type { Issue } from './issues.ts';
import { validateQuestionnaire } from './validate-questionnaire.ts';

export interface Instrument {
  id: string;
  /** Where it came from (a file name), for messages. */
  origin: string;
  questionnaire: Questionnaire;
  scorer: CompiledScorer;
  catalog: CatalogEntry;
  /** Warnings that remained after validation (errors keep an instrument out of the library). */
  warnings: Issue[];
}

export interface InstrumentLibrary {
  instruments: Map<string, Instrument>;
  /** Files that failed validation, with their issues; they are not in `instruments`. */
  rejected: { origin: string; issues: Issue[] }[];
}

/** Parses one instrument file's text; a syntax error becomes a JSON_INVALID issue. */
export function parseInstrumentJson(text: string): { json: unknown } | { error: Issue } {
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    return { error: { path: '', code: 'JSON_INVALID', reason, severity: 'error' } };
  }
}

/**
 * Builds the instrument library from already-parsed JSON documents (the file reading happens at the edge:
 * loadInstrumentLibrary in src/store/instrument-registry.ts). Each document is validated with licence
 * metadata required, then compiled. Ids must be unique.
 */
export function buildInstrumentLibrary(documents: readonly { origin: string; json: unknown }[]): InstrumentLibrary {
  const instruments = new Map<string, Instrument>();
  const rejected: InstrumentLibrary['rejected'] = [];
  for (const { origin, json } of documents) {
    const validation = validateQuestionnaire(json, { requireLicence: true });
    if (!validation.ok || !validation.questionnaire) {
      rejected.push({ origin, issues: validation.issues });
      continue;
    }
    const q = validation.questionnaire;
    const id = q.id ?? '';
    if (id === '' || instruments.has(id)) {
      const reason = id === '' ? 'A library instrument needs an id.' : `Instrument id "${id}" is also used by ${instruments.get(id)?.origin}.`;
      rejected.push({ origin, issues: [{ path: '/id', code: id === '' ? 'FIELD_MISSING' : 'INSTRUMENT_ID_DUPLICATE', reason, severity: 'error' }] });
      continue;
    }
    instruments.set(id, {
      id,
      origin,
      questionnaire: q,
      scorer: compileScorer(q),
      catalog: instrumentCatalogEntry(q, validation.scoring),
      warnings: validation.issues,
    });
  }
  return { instruments, rejected };
}

import { SpiegelError } from '../errors.ts';
import type { CompiledScorer } from './compile.ts';

/**
 * The compiled instruments one organisation can see: the shipped library, with the organisation's own
 * imports and translations on top. `get` gives the current text; `version` says which stored version
 * that is (null for the shipped text) and `atVersion` gives the text a response answered.
 */
export interface InstrumentRegistry {
  get(id: string): CompiledScorer;
  has(id: string): boolean;
  all(): CompiledScorer[];
  /** The organisation's version of the current text, or null when it is the shipped text. */
  version(id: string): number | null;
  /** The exact text of a stored version (null: the shipped one); falls back to the current one. */
  atVersion(id: string, version: number | null): CompiledScorer;
}

/** A registry over compiled instruments; `versions` maps id → version → scorer for organisation imports. */
export function registryOf(
  current: ReadonlyMap<string, { scorer: CompiledScorer; version: number | null }>,
  versions: ReadonlyMap<string, ReadonlyMap<number, CompiledScorer>> = new Map(),
  shipped: ReadonlyMap<string, CompiledScorer> = new Map(),
): InstrumentRegistry {
  const get = (id: string): CompiledScorer => {
    const hit = current.get(id);
    if (!hit) throw new SpiegelError('INSTRUMENT_UNKNOWN', `Unknown instrument "${id}".`, { instrumentId: id });
    return hit.scorer;
  };
  return {
    get,
    has: (id) => current.has(id),
    all: () => [...current.values()].map((c) => c.scorer),
    version: (id) => current.get(id)?.version ?? null,
    atVersion: (id, version) =>
      (version === null ? shipped.get(id) : versions.get(id)?.get(version)) ?? get(id),
  };
}

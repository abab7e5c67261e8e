import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileScorer, type CompiledScorer } from '../instruments/index.ts';

/** Test support: the shipped instruments the reflection module uses, compiled from instruments/. */
export function shipped(id: 'spiegel-tears' | 'brs'): CompiledScorer {
  const path = fileURLToPath(new URL(`../../../instruments/${id}.json`, import.meta.url));
  return compileScorer(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * docs/mixed-models.md and docs/stats.md list every refusal of a model formula with its message; this
 * runs each listed formula and expects exactly the listed message, keeps the two docs' lists in step,
 * and checks that each listed data message is text the code produces.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFormula } from './formula.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (p: string): string => readFileSync(root + p, 'utf8');
const section = (doc: string, name: string): string => {
  const a = doc.indexOf(`<!-- ${name}:start`);
  const b = doc.indexOf(`<!-- ${name}:end -->`);
  if (a < 0 || b < 0) throw new Error(`section ${name} missing`);
  return doc.slice(a, b);
};
const code = (cell: string): string =>
  cell
    .trim()
    .replace(/^``? ?|`? ?`$/g, '')
    .replace(/\\\|/g, '|');
const rows = (doc: string): [string, string][] =>
  section(doc, 'refusals')
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.slice(1, -1).split(/(?<!\\)\|/);
      return [code(cells[0]), code(cells[1])];
    });

const mixed = read('docs/mixed-models.md');
const stats = read('docs/stats.md');

describe('documented refusals', () => {
  const listed = rows(mixed);
  it('lists at least the known refusals, the same in both docs', () => {
    expect(listed.length).toBeGreaterThanOrEqual(20);
    expect(rows(stats)).toEqual(listed);
    expect(section(stats, 'shapes')).toBe(section(mixed, 'shapes'));
    expect(section(stats, 'data-refusals')).toBe(section(mixed, 'data-refusals'));
  });
  it.each(listed)('%s is refused with the listed message', (formula, message) => {
    expect(() => parseFormula(formula)).toThrow(message);
    try {
      parseFormula(formula);
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });
  it('each listed data message is made by the code (the quoted values aside)', () => {
    const src = [
      'src/cli/analyze/load.ts',
      'src/domain/stats/mixed/factors.ts',
      'src/domain/stats/mixed/checks.ts',
      'src/domain/stats/mixed/growth-model.ts',
      'src/domain/stats/mixed/growth-stats.ts',
    ]
      .map(read)
      .join('\n');
    const messages = [...section(mixed, 'data-refusals').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(messages.length).toBeGreaterThanOrEqual(8);
    for (const m of messages)
      for (const fragment of m.split(/\([^)]*: [^)]*\)|'[^']*'|[()]|\d+|data\.csv/))
        if (fragment.trim().length >= 6) expect(src, `fragment '${fragment}' of '${m}'`).toContain(fragment.trim());
  });
});

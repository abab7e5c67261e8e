import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../web/i18n.ts';
import { ERROR_TEXTS } from '../web/error-texts.ts';

// docs/glossary.md fixes the words of the interface; each "Not "…"" in it names a word we do not use.
// This test loads every catalogue (each module that calls defineTexts) and fails when one uses such a
// word, so the glossary and the catalogues cannot drift apart.

const SRC = fileURLToPath(new URL('../', import.meta.url));
const GLOSSARY = readFileSync(fileURLToPath(new URL('../../docs/glossary.md', import.meta.url)), 'utf8');

function textModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) return textModules(`${path}/`);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
    return readFileSync(path, 'utf8').includes('defineTexts(') ? [path] : [];
  });
}

describe('the glossary', () => {
  it('names words we do not use, and no catalogue uses them', async () => {
    const modules = textModules(SRC).filter((path) => !path.endsWith('/i18n.ts'));
    expect(modules.length).toBeGreaterThan(10);
    for (const path of modules) await import(path);
    const avoided = [...GLOSSARY.matchAll(/Not ((?:"[^"]+"(?:, | or |, or )?)+)/g)].flatMap((m) =>
      [...m[1].matchAll(/"([^"]+)"/g)].map((w) => w[1]),
    );
    expect(avoided).toEqual(expect.arrayContaining(['traject', 'meetmoment', 'alliantie', 'off track']));
    const found: string[] = [];
    for (const catalogue of [...catalogues, ERROR_TEXTS])
      for (const [key, entry] of Object.entries(catalogue))
        for (const lang of ['nl', 'en'] as const)
          for (const word of avoided)
            if (new RegExp(`(^|[^\\p{L}])${word}`, 'iu').test(entry[lang])) found.push(`${key} (${lang}): "${word}"`);
    expect(found).toEqual([]);
  });
});

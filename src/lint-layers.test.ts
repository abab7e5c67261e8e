import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

// `npm run lint` is `eslint . && prettier --check .`: this shows both halves fail where they should
// (decision 0030). The code is linted as if it stood at the given path, so no broken file is kept in the tree.
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('layers are enforced by lint', () => {
  it.each([
    ['src/domain/wrong.ts', "import type { Store } from '../store/database.ts';"],
    ['src/store/wrong.ts', "import { sendPage } from '../server/pages.ts';"],
    ['src/store/wrong.ts', "import { html } from '../web/html.ts';"],
    ['src/web/wrong.ts', "import type { Store } from '../store/database.ts';"],
    ['src/server/wrong.ts', "import { main } from '../cli/main.ts';"],
    ['src/domain/wrong.ts', "import { loadConfig } from '../config.ts';"],
  ])(
    '%s may not import %s',
    async (filePath, line) => {
      expect(await layerErrors(filePath, `${line}\nexport const x = 1;\n`)).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    ['src/store/right.ts', "import { SpiegelError } from '../domain/errors.ts';"],
    ['src/web/right.ts', "import { SpiegelError } from '../domain/errors.ts';"],
    [
      'src/server/right.ts',
      "import type { Store } from '../store/database.ts';\nimport { html } from '../web/html.ts';",
    ],
    ['src/server/right.ts', "import { loadConfig } from '../config.ts';"],
    ['src/cli/right.ts', "import { startServer } from '../server/serve.ts';"],
  ])(
    '%s may import %s',
    async (filePath, line) => {
      expect(await layerErrors(filePath, `${line}\nexport const x = 1;\n`)).toEqual([]);
    },
    60_000,
  );
});

describe('formatting is enforced by lint', () => {
  const filepath = 'src/domain/example.ts';
  it('prettier --check rejects unformatted code and accepts formatted code', async () => {
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    const unformatted = 'export const   x = {a:1,\n  b : "two"}\n';
    expect(await prettier.check(unformatted, options)).toBe(false);
    expect(await prettier.check(await prettier.format(unformatted, options), options)).toBe(true);
    expect(await prettier.format(unformatted, options)).toBe("export const x = { a: 1, b: 'two' };\n");
  });
});

#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm ci` through `prepare`, or `npm run build`), so a
// start pays no TypeScript compile. When a source file is newer than the build, as while developing, it runs
// the TypeScript sources through tsx instead (decision 0010).
import { readdirSync, statSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// V8's compiled code for every module loaded from here on is cached on disk, keyed by the source's
// content, so a repeated start skips parsing and compiling (decision 0010). NODE_COMPILE_CACHE overrides
// the place; NODE_DISABLE_COMPILE_CACHE=1 turns it off; an unwritable place just means no cache.
enableCompileCache(process.env.NODE_COMPILE_CACHE || join(root, 'node_modules', '.cache', 'node-compile-cache'));

function builtAt() {
  try {
    return statSync(join(root, 'dist', '.built')).mtimeMs;
  } catch {
    return 0;
  }
}

function distIsFresh() {
  const built = builtAt();
  if (!built || process.env.SPIEGEL_FROM_SOURCE) return false;
  const src = join(root, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return false;
  }
  return true;
}

let main;
if (distIsFresh()) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('spiegel: dist/ is missing or older than src/; run `npm run build`\n');
    process.exit(1);
  }
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

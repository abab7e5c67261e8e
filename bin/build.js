#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles src/ to plain JavaScript in dist/ with tsc,
// types stripped without a type check (`npm run typecheck` does that), and copies the non-TypeScript files
// (SQL migrations, static CSS and scripts) beside them. dist/ mirrors src/, so paths such as
// `../../instruments/` resolve the same from both. See docs/decisions/0010-compiled-start.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // Installed without devDependencies: keep whatever dist/ there is (bin/spiegel.js says if there is none).
  process.stderr.write('spiegel build: typescript is not installed; skipping the build\n');
  process.exit(0);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], {
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
for (const file of readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })) {
  if (/\.(sql|css|js)$/.test(file) && existsSync(join(root, 'src', file))) {
    const target = join(root, 'dist', file);
    if (!existsSync(target)) cpSync(join(root, 'src', file), target);
  }
}
// bin/spiegel.js runs dist/ only while no source file is newer than this stamp.
writeFileSync(join(root, 'dist', '.built'), new Date().toISOString() + '\n');

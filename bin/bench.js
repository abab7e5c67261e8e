#!/usr/bin/env node
// `npm run bench -- <name> [args]` runs bench/<name>.ts. Each benchmark prints one JSON line per figure.
import { register } from 'tsx/esm/api';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

register();
const [name, ...rest] = process.argv.slice(2);
const dir = fileURLToPath(new URL('../bench/', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.includes('.test.') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(`${dir}${name}.ts`)) {
  process.stderr.write(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
process.argv = [process.argv[0], `${dir}${name}.ts`, ...rest];
await import(pathToFileURL(`${dir}${name}.ts`).href);

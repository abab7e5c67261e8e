#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): bundles src/ with esbuild into plain JavaScript in
// dist/cli/ (types stripped without a type check; `npm run typecheck` does that) and copies the
// non-TypeScript files (SQL migrations, static CSS and scripts) to their place in a dist/ that mirrors src/.
// One bundle instead of some 1,600 module files: Node's module loader spent most of a warm start's first
// half resolving and linking them (decisions 0010 and 0038).
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
let esbuild;
try {
  esbuild = await import(createRequire(import.meta.url).resolve('esbuild'));
} catch {
  // Installed without devDependencies: keep whatever dist/ there is (bin/spiegel.js says if there is none).
  process.stderr.write('spiegel build: esbuild is not installed; skipping the build\n');
  process.exit(0);
}

/**
 * Packages left out of the bundle and loaded from node_modules as before: those that read files beside
 * their own code at run time (WebAssembly, native addons, fonts, static assets; their paths would point
 * into dist/ once bundled), and large ones that only a command or a first use loads.
 */
const EXTERNAL = [
  '@electric-sql/pglite', // WebAssembly and data files beside its modules
  'argon2', // native addon
  'xmllint-wasm', // WebAssembly
  'pdfmake', // fonts; loaded on the first PDF
  'echarts', // loaded on the first chart
  'mammoth', // loaded on the first .docx import
  'docx',
  'nodemailer', // loaded on the first mail
  'pg', // PostgreSQL only, loaded when DATABASE_URL is set
  'qrcode',
];

// Every output file lands in dist/cli/. A module's `import.meta.url` would then be that chunk's, not its
// own: rewrite it to the URL the module's own file has in the mirror, so `new URL('./migrations/', …)`
// and createRequire resolve as they do from src/.
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url') || !args.path.startsWith(src + sep))
        return { contents: text, loader: 'ts' };
      const ownFile = relative(join(src, 'cli'), args.path).split(sep).join('/').replace(/\.ts$/, '.js');
      const own = `new URL(${JSON.stringify(ownFile.startsWith('.') ? ownFile : './' + ownFile)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
};

// A bundled CommonJS module that reads files beside itself (@fastify/swagger-ui serves its static folder)
// keeps its own __dirname and __filename: the place it has in node_modules, relative to the chunk.
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
      const ownFile = relative(join(dist, 'cli'), args.path).split(sep).join('/');
      const prelude =
        `var __filename = __bundleFile(${JSON.stringify(ownFile)}); ` +
        `var __dirname = require('node:path').dirname(__filename);\n`;
      return { contents: prelude + text, loader: 'js' };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
await esbuild.build({
  // The embedded database's thread is its own entry, at the place pglite-thread.ts looks for it.
  entryPoints: {
    'cli/main': join(src, 'cli', 'main.ts'),
    'store/pglite-worker': join(src, 'store', 'pglite-worker.ts'),
  },
  outdir: dist,
  bundle: true,
  splitting: true, // each command and each lazily imported module stays its own chunk, loaded on use
  chunkNames: 'cli/chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  external: EXTERNAL,
  plugins: [ownImportMetaUrl, ownDirname],
  // CommonJS packages inside an ES module bundle call require() for Node's built-in modules.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      'const require = __bundleRequire(import.meta.url);',
      "const __bundleFile = (path) => require('node:url').fileURLToPath(new URL(path, import.meta.url));",
    ].join(' '),
  },
  logLevel: 'warning',
});
for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
  if (/\.(sql|css|js)$/.test(file) && existsSync(join(src, file))) cpSync(join(src, file), join(dist, file));
}
// bin/spiegel.js runs dist/ only while no source file is newer than this stamp.
writeFileSync(join(dist, '.built'), new Date().toISOString() + '\n');

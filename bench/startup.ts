/**
 * Start-up times of the compiled `spiegel` (decision 0010), each next to its anchor in the same run:
 *   npm run bench -- startup [DIR]     (DIR as for mixed-500k; default the shared 500k reference set)
 * Figures: `spiegel --help` wall time vs `node -e 0`; a warm `spiegel serve` (migrated data directory) from
 * spawn to its ready line; the 500k-row growth model from spawn to exit vs lme4's Rscript from spawn to exit.
 * Run `npm run build` first: bin/spiegel.js falls back to tsx when dist/ is older than src/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './_report.ts';
import { timeLme4 } from './mixed-lme4.ts';

const bench = 'startup';
const bin = 'bin/spiegel.js';
const env = { ...process.env, LOG_LEVEL: 'silent' };
// Outside demo mode `serve` needs the journal key (decision: fail closed); a throwaway one will do here.
const journalKey = randomBytes(32).toString('base64');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wall(args: string[], extraEnv: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 && !(args.includes('--help') && r.status === 2)) {
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  }
  return (performance.now() - t0) / 1000;
}

const nodeSeconds = median([0, 1, 2, 3, 4].map(() => wall(['-e', '0'])));
const helpSeconds = median([0, 1, 2, 3, 4].map(() => wall([bin, '--help'])));
report({
  bench,
  metric: 'help_seconds',
  value: helpSeconds,
  unit: 's',
  target: '<= 0.3',
  anchor: 'node -e 0',
  anchor_value: nodeSeconds,
});

/** Spawns `spiegel serve` and resolves with the seconds until it prints its ready line; then stops it. */
function serveUntilReady(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...env, PORT: '0', SPIEGEL_DATA_DIR: dataDir, SPIEGEL_JOURNAL_KEY: journalKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let ready = false;
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      // One SIGTERM only: a second one (on the next chunk of output) would kill the server in the middle of
      // its clean shutdown, and the next start would begin from an unclean data directory.
      if (!ready && out.includes('Spiegel is listening on')) {
        ready = true;
        const seconds = (performance.now() - t0) / 1000;
        child.once('exit', () => resolve(seconds));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('Spiegel is listening on')) reject(new Error(`serve exited ${code}: ${err.trim()}`));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'spiegel-startup-'));
try {
  const coldSeconds = await serveUntilReady(dataDir); // creates and migrates the data directory
  const warmSeconds = median([
    await serveUntilReady(dataDir),
    await serveUntilReady(dataDir),
    await serveUntilReady(dataDir),
  ]);
  report({
    bench,
    metric: 'serve_warm_ready_seconds',
    value: warmSeconds,
    unit: 's',
    target: '<= 1.5',
    cold_seconds: coldSeconds,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

// The 500k-row growth model (model b of mixed-500k), from process start to exit, against lme4 the same way.
const dir = process.argv[2] ?? process.env.MIXED_BENCH500K_DIR ?? '/work/shared/reference/mixed/bench500k';
const formula = (JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { model_b: { formula: string } })
  .model_b.formula;
const file = join(dir, 'sessions.csv.gz');
const mixedSeconds = wall([bin, 'analyze', 'therapist-effects', '--input', file, '--formula', formula]);
const t0 = performance.now();
const lme4 = timeLme4(file, formula, ['patient', 'therapist']);
const lme4Seconds = lme4 ? (performance.now() - t0) / 1000 : null;
report({
  bench,
  metric: 'mixed_500k_wall_seconds',
  value: mixedSeconds,
  unit: 's',
  target: '<= 1.5 and >= 15x faster than lme4',
  anchor: lme4 ? `lme4 ${lme4.version} (Rscript, start to exit)` : 'lme4 not installed',
  anchor_value: lme4Seconds,
  speedup: lme4Seconds ? lme4Seconds / mixedSeconds : null,
});

/**
 * Research survey analyses and exports (issue 19). Targets: every analysis of an 819 × 100 dataset in
 * ≤ 300 ms; a .sav export of 10,000 × 100 in ≤ 1 s. Anchor: R's haven::write_sav on the same data, in
 * the same run, where R and haven are installed (else the anchor is null and the line says why).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './_report.ts';
import { Random } from '../src/domain/demo/random.ts';
import type { Dataset, Variable } from '../src/domain/research/dataset.ts';
import {
  adjustP,
  anovaTest,
  chiSquareTest,
  correlationTest,
  frequencies,
  groupTable,
  normTest,
  oneSampleTest,
  pairedTest,
  postHocTest,
  twoGroupT,
} from '../src/domain/research/analyses.ts';
import { columnOf } from '../src/domain/research/dataset.ts';
import { cronbachAlpha } from '../src/domain/stats/index.ts';
import { writeSav } from '../src/domain/research/sav.ts';
import { writeCsv } from '../src/domain/research/export-csv.ts';

function dataset(rows: number, cols: number): Dataset {
  const rng = new Random(7);
  const variables: Variable[] = Array.from({ length: cols }, (_, j) => ({
    name: j === 0 ? 'gender' : j === 1 ? 'discipline' : j === 2 ? 'cried' : `item${j}`,
    label: j === 0 ? 'Geslacht' : `Item ${j}`,
    type: 'numeric',
    width: 0,
    decimals: 0,
    measure: j < 3 ? 'nominal' : 'ordinal',
    valueLabels:
      j === 0
        ? [
            { value: 1, label: 'Man' },
            { value: 2, label: 'Vrouw' },
          ]
        : [
            { value: 1, label: 'oneens' },
            { value: 7, label: 'eens' },
          ],
    missing: [-1, -9],
    derivation: null,
    quasiIdentifier: j === 0,
  }));
  const data = Array.from({ length: rows }, () =>
    variables.map((_, j) =>
      j === 0 || j === 2
        ? 1 + (rng.next() < 0.75 ? 1 : 0)
        : j === 1
          ? 1 + Math.floor(rng.next() * 7)
          : rng.next() < 0.02
            ? -9
            : 1 + Math.floor(rng.next() * 7),
    ),
  );
  return { variables, rows: data };
}

const small = dataset(819, 100);
const items = small.variables.slice(3).map((v) => v.name);
const pairsOf = Array.from({ length: Math.floor(items.length / 2) }, (_, k) => [items[2 * k], items[2 * k + 1]]);
let tests = 0;
/** Every analysis the module offers, on every item where it applies (the R script does the same). */
function allAnalyses(): number {
  const t0 = performance.now();
  tests = 0;
  for (const name of items) {
    frequencies(small, name);
    twoGroupT(small, name, 'gender', 1, 2, 'welch');
    twoGroupT(small, name, 'gender', 1, 2, 'student');
    anovaTest(small, name, 'discipline');
    normTest(small, name, { mean: 4, sd: 1.5, n: 1000 });
    oneSampleTest(small, name, 4);
    tests += 6;
  }
  groupTable(small, items, 'gender', 7);
  const p: number[] = [];
  for (const [x, y] of pairsOf) {
    p.push((correlationTest(small, x, y).details as { p: number }).p);
    pairedTest(small, x, y);
    tests += 2;
  }
  adjustP(p, 'holm');
  adjustP(p, 'BH');
  chiSquareTest(small, 'discipline', 'gender');
  chiSquareTest(small, 'gender', 'cried'); // 2 × 2: with Fisher's exact test
  const cols = items.slice(0, 10).map((name) => columnOf(small, name).values);
  const complete: number[][] = [];
  for (let i = 0; i < small.rows.length; i++) {
    const row = cols.map((c) => c[i]);
    if (row.every((v) => v !== null)) complete.push(row as number[]);
  }
  cronbachAlpha(complete);
  tests += 5;
  return performance.now() - t0;
}

/** R running the same analyses on the same data, median of five runs; null (and why) without R. */
function rAnchor(data: Dataset, mode: 'analyses' | 'posthoc'): { ms: number | null; note: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spiegel-bench-'));
  try {
    writeFileSync(join(dir, 'small.csv'), writeCsv(data));
    const out = execFileSync(
      'Rscript',
      [join(import.meta.dirname, 'research-analyses.R'), join(dir, 'small.csv'), mode],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ms: Number(out.trim()), note: '' };
  } catch (error) {
    return { ms: null, note: `R not available: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// First run in a fresh process (includes JIT warm-up), then the median of five warm runs, as a running
// server sees it (a single warm run swings with the load of a shared machine).
const cold = allAnalyses();
const warm = Array.from({ length: 5 }, () => allAnalyses()).sort((a, b) => a - b);
const rAnalyses = rAnchor(small, 'analyses');
report({
  bench: 'research',
  metric: 'analyses_819x100_ms',
  value: Math.round(warm[2]),
  unit: 'ms',
  target: '<= 300',
  anchor: 'R (stats: t.test, aov, oneway.test, cor.test, chisq.test, fisher.test, p.adjust), same data, same run',
  anchor_value: rAnalyses.ms === null ? null : Math.round(rAnalyses.ms),
  rows: 819,
  cols: 100,
  tests,
  cold_ms: Math.round(cold),
  warm_min_ms: Math.round(warm[0]),
  warm_max_ms: Math.round(warm[4]),
  load_1min: Number(loadavg()[0].toFixed(2)),
  ...(rAnalyses.note ? { note: rAnalyses.note } : {}),
});

// Post-hoc tests (Tukey HSD and Games-Howell) on one dependent variable across the 7 disciplines
// (21 pairs each): the studentized range is an integral per pair, so this is timed apart from the rest.
function postHoc(): number {
  const t0 = performance.now();
  postHocTest(small, items[0], 'discipline', 'tukey');
  postHocTest(small, items[0], 'discipline', 'games-howell');
  return performance.now() - t0;
}
postHoc();
const postHocWarm = Array.from({ length: 5 }, () => postHoc()).sort((a, b) => a - b);
const rPostHoc = rAnchor(small, 'posthoc');
report({
  bench: 'research',
  metric: 'posthoc_819_7groups_ms',
  value: Math.round(postHocWarm[2]),
  unit: 'ms',
  anchor: 'R stats::TukeyHSD + Games-Howell by formula (ptukey/qtukey), same item, same run',
  anchor_value: rPostHoc.ms === null ? null : Math.round(rPostHoc.ms),
  pairs: 42,
  ...(rPostHoc.note ? { note: rPostHoc.note } : {}),
});

const big = dataset(10_000, 100);
const started = performance.now();
const sav = writeSav(big);
const savMs = performance.now() - started;
let anchor: number | null = null;
let note = '';
const dir = mkdtempSync(join(tmpdir(), 'spiegel-bench-'));
try {
  writeFileSync(join(dir, 'big.csv'), writeCsv(big));
  const script = `suppressMessages(library(haven)); d <- read.csv("${join(dir, 'big.csv')}"); d$gender <- labelled(d$gender, c(Man = 1, Vrouw = 2)); t <- system.time(write_sav(d, "${join(dir, 'r.sav')}"))[["elapsed"]]; cat(t * 1000)`;
  anchor = Number(
    execFileSync('Rscript', ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
  );
} catch (error) {
  note = `R/haven not available: ${(error as Error).message.split('\n')[0]}`;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
report({
  bench: 'research',
  metric: 'sav_export_10000x100_ms',
  value: Math.round(savMs),
  unit: 'ms',
  target: '<= 1000',
  bytes: sav.length,
  anchor: 'R haven::write_sav, same data, same run',
  anchor_value: anchor === null ? null : Math.round(anchor),
  ...(note ? { note } : {}),
});

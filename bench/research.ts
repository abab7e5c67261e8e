/**
 * Research survey analyses and exports (issue 19). Targets: every analysis of an 819 × 100 dataset in
 * ≤ 300 ms; a .sav export of 10,000 × 100 in ≤ 1 s. Anchor: R's haven::write_sav on the same data, in
 * the same run, where R and haven are installed (else the anchor is null and the line says why).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './_report.ts';
import { Random } from '../src/domain/demo/random.ts';
import type { Dataset, Variable } from '../src/domain/research/dataset.ts';
import {
  anovaTest,
  chiSquareTest,
  correlationTest,
  frequencies,
  groupTable,
  normTest,
  twoGroupT,
} from '../src/domain/research/analyses.ts';
import { writeSav } from '../src/domain/research/sav.ts';
import { writeCsv } from '../src/domain/research/export-csv.ts';

function dataset(rows: number, cols: number): Dataset {
  const rng = new Random(7);
  const variables: Variable[] = Array.from({ length: cols }, (_, j) => ({
    name: j === 0 ? 'gender' : j === 1 ? 'discipline' : `item${j}`,
    label: j === 0 ? 'Geslacht' : `Item ${j}`,
    type: 'numeric',
    width: 0,
    decimals: 0,
    measure: j < 2 ? 'nominal' : 'ordinal',
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
      j === 0
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
const items = small.variables.slice(2).map((v) => v.name);
function allAnalyses(): number {
  const t0 = performance.now();
  for (const name of items) {
    frequencies(small, name);
    twoGroupT(small, name, 'gender', 1, 2, 'welch');
    anovaTest(small, name, 'discipline');
    normTest(small, name, { mean: 4, sd: 1.5, n: 1000 });
  }
  groupTable(small, items, 'gender', 7);
  for (let j = 2; j < 100; j += 2) correlationTest(small, items[j - 2], items[j - 1]);
  chiSquareTest(small, 'discipline', 'gender');
  return performance.now() - t0;
}
// First run in a fresh process (includes JIT warm-up), then a warm run as a running server sees it.
const cold = allAnalyses();
const analyses = allAnalyses();
report({
  bench: 'research',
  metric: 'analyses_819x100_ms',
  value: Math.round(analyses),
  unit: 'ms',
  target: '<= 300',
  rows: 819,
  cols: 100,
  tests: items.length * 4 + 50,
  cold_ms: Math.round(cold),
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

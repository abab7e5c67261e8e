/**
 * lme4 as the anchor of the mixed-model benchmarks: times read.csv and a default `lmer` fit on the
 * same file in the same run. Used by mixed-500k and mixed-5m; runnable alone:
 *   npm run bench -- mixed-lme4 FILE.csv[.gz] "<formula>" group1,group2
 * Returns null when R or lme4 is not installed (apt-get install r-base-core r-cran-lme4).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './_report.ts';

export interface Lme4Timing {
  read: number;
  fit: number;
  criterion: number;
  method: string;
  version: string;
}

const script = `suppressPackageStartupMessages(library(lme4))
a <- commandArgs(TRUE); f <- as.formula(a[2]); groups <- strsplit(a[3], ",")[[1]]; reml <- a[4] != "ML"
t0 <- proc.time()[["elapsed"]]
d <- read.csv(a[1])
for (g in groups) d[[g]] <- factor(d[[g]])
t1 <- proc.time()[["elapsed"]]
m <- lmer(f, d, REML = reml)
t2 <- proc.time()[["elapsed"]]
crit <- if (reml) REMLcrit(m) else deviance(m)
cat(sprintf('{"read": %.4f, "fit": %.4f, "criterion": %.10f, "method": "%s", "version": "%s"}\\n', t1 - t0, t2 - t1, crit,
            if (reml) "REML" else "ML", as.character(packageVersion("lme4"))))
`;

export function lme4Available(): boolean {
  const r = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(lme4))'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Times lme4 on `file`; null if R/lme4 is missing or the fit fails. */
export function timeLme4(
  file: string,
  formula: string,
  groups: string[],
  method: 'REML' | 'ML' = 'REML',
  timeoutMs = 1_800_000,
): Lme4Timing | null {
  if (!lme4Available()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'spiegel-lme4-'));
  const path = join(dir, 'time-lmer.R');
  writeFileSync(path, script);
  const r = spawnSync('Rscript', [path, file, formula, groups.join(','), method], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 24,
  });
  const line = r.stdout?.trim().split('\n').pop();
  if (r.status !== 0 || !line) {
    process.stderr.write(`lme4 run failed: ${r.stderr?.trim().split('\n').slice(-3).join(' | ')}\n`);
    return null;
  }
  return JSON.parse(line) as Lme4Timing;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, formula, groups] = process.argv.slice(2);
  if (!file || !formula || !groups) {
    process.stderr.write('usage: npm run bench -- mixed-lme4 FILE "<formula>" group1,group2\n');
    process.exit(2);
  }
  const t = timeLme4(file, formula, groups.split(','));
  if (!t) process.exit(1);
  report({ bench: 'mixed-lme4', metric: 'read_seconds', value: t.read, unit: 's', anchor: `lme4 ${t.version}` });
  report({
    bench: 'mixed-lme4',
    metric: 'fit_seconds',
    value: t.fit,
    unit: 's',
    anchor: `lme4 ${t.version}`,
    criterion: t.criterion,
  });
}

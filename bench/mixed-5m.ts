/**
 * Growth model (b) on the 5M-row set of gen-5m: streaming read of the gzipped CSV into per-patient
 * sums, then the fit. Reports seconds and peak memory (maxRSS).
 *   npm run bench -- gen-5m && npm run bench -- mixed-5m [FILE]   (or MIXED_5M_FILE)
 * With MIXED_5M_LME4=1 lme4 is timed on the same file too (slow: minutes, several GB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './_report.ts';
import { timeLme4 } from './mixed-lme4.ts';
import { loadModelData } from '../src/cli/analyze/load.ts';
import { parseFormula } from '../src/domain/stats/mixed/formula.ts';
import { fitGrowthModel, prepareGrowth } from '../src/domain/stats/mixed/fit.ts';
import type { GrowthStats } from '../src/domain/stats/mixed/growth-stats.ts';

const bench = 'mixed-5m';
const file =
  process.argv[2] ??
  process.env.MIXED_5M_FILE ??
  fileURLToPath(new URL('./data/mixed-5m/sessions.csv.gz', import.meta.url));
if (!existsSync(file)) {
  process.stderr.write(`${file} does not exist; run \`npm run bench -- gen-5m\` first\n`);
  process.exit(2);
}
const formula = 'score ~ session * intake_c + (1 + session | patient) + (1 | therapist)';
const spec = parseFormula(formula);
const t0 = performance.now();
const data = await loadModelData(file, spec);
const tRead = performance.now();
const fit = fitGrowthModel(prepareGrowth(data.stats as GrowthStats, { slope: true, therapist: true }), {
  slopeName: 'session',
});
const tFit = performance.now();
const maxRssGb = process.resourceUsage().maxRSS / 1024 / 1024;
const heapGb = process.memoryUsage().heapUsed / 1024 ** 3;

const lme = process.env.MIXED_5M_LME4 === '1' ? timeLme4(file, formula, ['patient', 'therapist']) : null;
const anchor = lme ? `lme4 ${lme.version} (default lmer, same run)` : 'lme4 not run (set MIXED_5M_LME4=1)';
const generator = join(dirname(file), 'generator.json');
const gen = existsSync(generator) ? (JSON.parse(readFileSync(generator, 'utf8')) as Record<string, unknown>) : {};

report({
  bench,
  metric: 'read_stats_fit_seconds',
  value: (tFit - t0) / 1000,
  unit: 's',
  target: '<= 20',
  anchor,
  anchor_value: lme ? lme.read + lme.fit : null,
  rows: data.stats.nObs,
});
report({
  bench,
  metric: 'read_stats_seconds',
  value: (tRead - t0) / 1000,
  unit: 's',
  anchor,
  anchor_value: lme?.read ?? null,
});
report({
  bench,
  metric: 'fit_seconds',
  value: (tFit - tRead) / 1000,
  unit: 's',
  anchor,
  anchor_value: lme?.fit ?? null,
  evaluations: fit.convergence.evaluations,
  converged: fit.converged,
});
if (lme)
  report({
    bench,
    metric: 'criterion_minus_lme4_default',
    value: fit.criterion - lme.criterion,
    unit: 'REML criterion',
    target: '<= 0',
    anchor,
    anchor_value: lme.criterion,
  });
report({ bench, metric: 'peak_rss_gb', value: maxRssGb, unit: 'GB', target: '<= 2', heap_used_gb: heapGb });
// Sanity: the generator's true values are β = (24, -1.2, 0.8, -0.03) (+ case-mix terms absorbed in the intercept).
report({
  bench,
  metric: 'fixed_effects',
  value: fit.fixed[1].estimate,
  unit: 'session slope',
  fixed: fit.fixed.map((f) => [f.term, f.estimate, f.se]),
  varcomp: fit.varcomp.map((v) => [v.group, v.var1, v.var2, v.sdcor]),
  generator: gen,
});

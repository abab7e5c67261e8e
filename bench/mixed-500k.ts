/**
 * Mixed models on the 500k-row reference set (1,000 therapists, 50,000 patients), against lme4 in
 * the same run when R + lme4 are installed.
 *   npm run bench -- mixed-500k [DIR]      (or MIXED_BENCH500K_DIR; default the shared reference set)
 * DIR holds sessions.csv.gz, patients.csv.gz and reference.json from make_mixed_refs.R.
 * Figures: model b read+stats+fit and fit-only seconds, speed-up over lme4, criterion vs the reference;
 * model a fit-only seconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './_report.ts';
import { timeLme4 } from './mixed-lme4.ts';
import { loadModelData } from '../src/cli/analyze/load.ts';
import { parseFormula } from '../src/domain/stats/mixed/formula.ts';
import { fitGrowthModel, fitInterceptModel, prepareGrowth, prepareIntercept } from '../src/domain/stats/mixed/fit.ts';
import type { GrowthStats } from '../src/domain/stats/mixed/growth-stats.ts';
import type { InterceptStats } from '../src/domain/stats/mixed/intercept-stats.ts';

const dir = process.argv[2] ?? process.env.MIXED_BENCH500K_DIR ?? '/work/shared/reference/mixed/bench500k';
const bench = 'mixed-500k';
const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as {
  model_a: { formula: string; reml_criterion: number };
  model_b: { formula: string; reml_criterion: number };
};
const secs = (t0: number): number => (performance.now() - t0) / 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Model b: everything from the gzipped CSV to the fitted model, then the fit alone.
const specB = parseFormula(ref.model_b.formula);
const t0 = performance.now();
const dataB = await loadModelData(join(dir, 'sessions.csv.gz'), specB);
const fitB = fitGrowthModel(prepareGrowth(dataB.stats as GrowthStats, { slope: true, therapist: true }), {
  slopeName: 'session',
});
const totalB = secs(t0);
const fitRuns: number[] = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  fitGrowthModel(prepareGrowth(dataB.stats as GrowthStats, { slope: true, therapist: true }), { slopeName: 'session' });
  fitRuns.push(secs(t));
}
const fitOnlyB = median(fitRuns);

const specA = parseFormula(ref.model_a.formula);
const dataA = await loadModelData(join(dir, 'patients.csv.gz'), specA);
const runsA: number[] = [];
const tA = performance.now();
let fitA = fitInterceptModel(prepareIntercept(dataA.stats as InterceptStats));
const firstA = secs(tA);
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  fitA = fitInterceptModel(prepareIntercept(dataA.stats as InterceptStats));
  runsA.push(secs(t));
}
const fitOnlyA = median(runsA);

const lmeB = timeLme4(join(dir, 'sessions.csv.gz'), ref.model_b.formula, ['patient', 'therapist']);
const lmeA = timeLme4(join(dir, 'patients.csv.gz'), ref.model_a.formula, ['therapist']);
const anchor = lmeB ? `lme4 ${lmeB.version} (default lmer, same run)` : 'lme4 not installed';

report({
  bench,
  metric: 'model_b_read_stats_fit_seconds',
  value: totalB,
  unit: 's',
  target: '<= 2',
  anchor,
  anchor_value: lmeB ? lmeB.read + lmeB.fit : null,
  rows: dataB.stats.nObs,
});
report({
  bench,
  metric: 'model_b_fit_seconds',
  value: fitOnlyB,
  median_of: 3,
  unit: 's',
  target: '<= 2',
  anchor,
  anchor_value: lmeB?.fit ?? null,
  evaluations: fitB.convergence.evaluations,
});
if (lmeB) {
  report({
    bench,
    metric: 'model_b_speedup_vs_lme4_total',
    value: (lmeB.read + lmeB.fit) / totalB,
    unit: 'x',
    target: '>= 10',
    anchor,
    anchor_value: 1,
  });
  report({
    bench,
    metric: 'model_b_speedup_vs_lme4_fit',
    value: lmeB.fit / fitOnlyB,
    unit: 'x',
    target: '>= 10',
    anchor,
    anchor_value: 1,
  });
}
report({
  bench,
  metric: 'model_b_criterion_minus_reference',
  value: fitB.criterion - ref.model_b.reml_criterion,
  unit: 'REML criterion',
  target: '<= 1e-6',
  anchor: 'reference.json (lme4, tight optimiser)',
  anchor_value: ref.model_b.reml_criterion,
  converged: fitB.converged,
});
if (lmeB)
  report({
    bench,
    metric: 'model_b_criterion_minus_lme4_default',
    value: fitB.criterion - lmeB.criterion,
    unit: 'REML criterion',
    target: '<= 0',
    anchor,
    anchor_value: lmeB.criterion,
  });
report({
  bench,
  metric: 'model_a_fit_seconds',
  value: fitOnlyA,
  median_of: 5,
  unit: 's',
  target: '<= 0.05',
  anchor: lmeA ? `lme4 ${lmeA.version} (default lmer, same run)` : 'lme4 ≈ 0.25 s (not installed here)',
  anchor_value: lmeA?.fit ?? null,
  first_run: firstA,
});
report({
  bench,
  metric: 'model_a_criterion_minus_reference',
  value: fitA.criterion - ref.model_a.reml_criterion,
  unit: 'REML criterion',
  target: '<= 1e-6',
  anchor: 'reference.json (lme4, tight optimiser)',
  anchor_value: ref.model_a.reml_criterion,
  converged: fitA.converged,
});

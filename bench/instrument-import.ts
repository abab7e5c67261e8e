// Importing and compiling a 200-item Questionnaire (issue 16: ≤ 200 ms): the full import check (JSON,
// nesting, Spiegel rules, base R4 schema, licence) plus compiling the scorer, median of N runs after
// the one-time schema compile, which is reported separately. Anchor: JSON.parse of the same file.
// Usage: npm run bench -- instrument-import [--runs N]
import { report } from './_report.ts';
import { compileScorer } from '../src/domain/instruments/compile.ts';
import { testQuestionnaire } from '../src/domain/instruments/test-questionnaire.ts';
import { checkInstrumentUpload } from '../src/server/instruments/import-service.ts';
import { shippedInstruments } from '../src/store/instrument-registry.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args[at + 1]) : 20;
const text = JSON.stringify(testQuestionnaire({ items: 200 }));
const shipped = shippedInstruments();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let t = performance.now();
checkInstrumentUpload(text, shipped);
const first = performance.now() - t;
const times: number[] = [];
const parses: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  const r = checkInstrumentUpload(text, shipped);
  if (!r.questionnaire) throw new Error(`the 200-item questionnaire did not pass: ${r.errorCode}`);
  compileScorer(r.questionnaire);
  times.push(performance.now() - t);
  t = performance.now();
  JSON.parse(text);
  parses.push(performance.now() - t);
}
report({
  bench: 'instrument-import',
  metric: 'import+compile 200 items (median)',
  value: Number(median(times).toFixed(1)),
  unit: 'ms',
  target: '<= 200 ms',
  anchor: 'JSON.parse of the same file (median)',
  anchor_value: Number(median(parses).toFixed(2)),
  first_run_with_schema_compile_ms: Number(first.toFixed(0)),
  bytes: text.length,
});

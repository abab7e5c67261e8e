// PHQ-9 scoring throughput on one core: Spiegel's compiled declarative scorer against the anchor, the
// FHIRPath calculatedExpression of the LHC-Forms PHQ-9 evaluated by the fhirpath package, on the same
// responses. Usage: npm run bench -- scoring [--responses N] [--seconds S]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { report } from './_report.ts';
import {
  compileCalculatedExpressions,
  compileScorer,
  importQuestionnaire,
  type Questionnaire,
} from '../src/domain/instruments/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : fallback;
};
const RESPONSES = option('responses', 10_000);
const SECONDS = option('seconds', 2);

const read = (path: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8'));
const shipped = read('../instruments/phq9.json') as Questionnaire;
const imported = importQuestionnaire(read('../test/fixtures/instruments/phq9.lforms-fhir-app.R4.json'), [shipped]);
if (!imported.questionnaire) throw new Error('the LHC-Forms PHQ-9 did not import');
const q = imported.questionnaire;

// Deterministic responses (complete, so both methods compute the same total).
let seed = 20250301;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const items = [
  '/44250-9',
  '/44255-8',
  '/44259-0',
  '/44254-1',
  '/44251-7',
  '/44258-2',
  '/44252-5',
  '/44253-3',
  '/44260-8',
];
const codes = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];
const responses = Array.from({ length: RESPONSES }, () => ({
  resourceType: 'QuestionnaireResponse',
  status: 'completed',
  item: items.map((linkId) => ({
    linkId,
    answer: [{ valueCoding: { system: 'http://loinc.org', code: codes[Math.floor(random() * 4)] } }],
  })),
}));

const scorer = compileScorer(q);
const calculations = compileCalculatedExpressions(q);

// Same totals from both before timing anything.
for (const r of responses.slice(0, 500)) {
  const declarative = scorer.score(r).scales[0].value;
  const calculated = calculations.evaluate(r)[0].value;
  if (declarative !== calculated) throw new Error(`totals differ: ${declarative} vs ${calculated}`);
}

/**
 * Responses per second, best of `rounds` timed rounds of `seconds / rounds` each (whole passes over the
 * response set, capped at `limit` responses per round). Best-of damps interference from other processes
 * on a shared machine; the median is reported too.
 */
function throughput(
  set: unknown[],
  score: (r: unknown) => number,
  seconds: number,
  limit = Infinity,
  rounds = 5,
): { best: number; median: number } {
  let checksum = 0;
  for (let i = 0; i < Math.min(2000, set.length); i++) checksum += score(set[i]); // warm-up
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let done = 0;
    let elapsed = 0;
    const start = process.hrtime.bigint();
    while (elapsed < seconds / rounds && done < limit) {
      for (let i = 0; i < set.length && done < limit; i++, done++) checksum += score(set[i]);
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    rates.push(done / elapsed);
  }
  if (checksum < 0) throw new Error('unreachable');
  rates.sort((a, b) => a - b);
  return { best: rates[rates.length - 1], median: rates[Math.floor(rates.length / 2)] };
}

const spiegel = throughput(responses, (r) => scorer.score(r).scales[0].value ?? 0, SECONDS);
const fhirpath = throughput(responses, (r) => calculations.evaluate(r)[0].value ?? 0, Math.max(1, SECONDS / 2), 2_000);
report({
  bench: 'scoring',
  metric: 'phq9_responses_per_second',
  value: Math.round(spiegel.best),
  unit: 'responses/s',
  target: '>= 200000',
  anchor: 'fhirpath 5.1.1 calculatedExpression (LHC-Forms PHQ-9)',
  anchor_value: Math.round(fhirpath.best),
  median: Math.round(spiegel.median),
  anchor_median: Math.round(fhirpath.median),
  responses: RESPONSES,
  microseconds_per_response: Number((1e6 / spiegel.best).toFixed(3)),
  speedup: Number((spiegel.best / fhirpath.best).toFixed(1)),
});

// The shipped PHQ-9 with its own linkIds, for reference (no anchor: it has no calculatedExpression).
const shippedScorer = compileScorer(shipped);
const shippedIds = Array.from({ length: 9 }, (_, i) => `phq9-${i + 1}`);
const shippedResponses = responses.map((r) => ({
  ...r,
  item: r.item.map((it, i) => ({ ...it, linkId: shippedIds[i] })),
}));
const own = throughput(shippedResponses, (r) => shippedScorer.score(r).scales[0].value ?? 0, SECONDS);
report({
  bench: 'scoring',
  metric: 'phq9_shipped_responses_per_second',
  value: Math.round(own.best),
  unit: 'responses/s',
  target: '>= 200000',
  anchor: 'none',
  anchor_value: null,
  median: Math.round(own.median),
});

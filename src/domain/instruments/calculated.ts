import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Extension, Questionnaire, QuestionnaireItem } from './fhir.ts';
import { URL } from './fhir.ts';
import type { ScoreResult } from './compile.ts';
import { isObject } from './issues.ts';

/**
 * SDC calculatedExpressions (FHIRPath) that an imported questionnaire carries, e.g. the LHC-Forms PHQ-9
 * total. Spiegel scores declaratively; these are evaluated only to cross-check that the two agree.
 */

type Evaluator = (resource: unknown, env: Record<string, unknown>) => unknown[];

interface Step {
  name: string | null;
  expression: string;
  run: Evaluator | null;
  compileError: string | null;
}

interface Calculation {
  linkId: string;
  codes: string[];
  expression: string;
  steps: Step[];
}

export interface CalculatedValue {
  linkId: string;
  /** Codes of the calculated item (e.g. LOINC 44261-6), used to find the matching Spiegel scale. */
  codes: string[];
  expression: string;
  value: number | null;
  error: string | null;
}

export interface CompiledCalculations {
  readonly count: number;
  evaluate(response: unknown): CalculatedValue[];
}

/** Compiles every calculatedExpression with the variables in scope (questionnaire, ancestors, item). */
export function compileCalculatedExpressions(q: Questionnaire): CompiledCalculations {
  const calculations: Calculation[] = [];
  const visit = (items: QuestionnaireItem[] | undefined, inherited: Step[]): void => {
    for (const item of items ?? []) {
      if (!isObject(item)) continue;
      const own = variables(item.extension);
      const scope = [...inherited, ...own];
      for (const ext of item.extension ?? []) {
        if (!isObject(ext) || ext.url !== URL.calculatedExpression) continue;
        const expression = ext.valueExpression?.expression;
        if (typeof expression !== 'string') continue;
        calculations.push({
          linkId: item.linkId,
          codes: (item.code ?? []).map((c) => c.code).filter((c): c is string => typeof c === 'string'),
          expression,
          steps: [...scope, step(null, expression, ext.valueExpression?.language)],
        });
      }
      visit(item.item, scope);
    }
  };
  visit(q.item, variables(q.extension));

  return {
    count: calculations.length,
    evaluate(response: unknown): CalculatedValue[] {
      return calculations.map((c) => evaluateOne(c, q, response));
    },
  };
}

function variables(extensions: Extension[] | undefined): Step[] {
  const out: Step[] = [];
  for (const ext of extensions ?? []) {
    if (!isObject(ext) || ext.url !== URL.variable) continue;
    const v = ext.valueExpression;
    if (v && typeof v.name === 'string' && typeof v.expression === 'string') out.push(step(v.name, v.expression, v.language));
  }
  return out;
}

function step(name: string | null, expression: string, language: string | undefined): Step {
  if (language !== undefined && language !== 'text/fhirpath') {
    return { name, expression, run: null, compileError: `unsupported expression language ${language}` };
  }
  try {
    return { name, expression, run: fhirpath.compile(expression, r4) as unknown as Evaluator, compileError: null };
  } catch (error) {
    return { name, expression, run: null, compileError: error instanceof Error ? error.message : String(error) };
  }
}

function evaluateOne(c: Calculation, q: Questionnaire, response: unknown): CalculatedValue {
  const env: Record<string, unknown> = { questionnaire: q, resource: response };
  let result: unknown[] = [];
  for (const s of c.steps) {
    if (!s.run) return { linkId: c.linkId, codes: c.codes, expression: c.expression, value: null, error: s.compileError };
    try {
      result = s.run(response, env);
    } catch (error) {
      return { linkId: c.linkId, codes: c.codes, expression: c.expression, value: null, error: error instanceof Error ? error.message : String(error) };
    }
    if (s.name !== null) env[s.name] = result;
  }
  const first = result[0];
  const value = typeof first === 'number' ? first : null;
  const error = result.length > 0 && value === null ? `result is not a number: ${JSON.stringify(first)}` : null;
  return { linkId: c.linkId, codes: c.codes, expression: c.expression, value, error };
}

export interface CrossCheck {
  scale: string;
  linkId: string;
  declarative: number | null;
  calculated: number | null;
  agree: boolean;
  error: string | null;
}

/**
 * Pairs each calculated value with the Spiegel scale that has the same code (or id = linkId) and reports
 * whether they agree. Disagreement is expected where the rules differ on purpose: the LHC-Forms PHQ-9
 * sums the answered items, whereas Spiegel prorates or withholds the score when items are missing.
 */
export function crossCheckCalculated(calculated: readonly CalculatedValue[], score: ScoreResult): CrossCheck[] {
  const out: CrossCheck[] = [];
  for (const calc of calculated) {
    const scale = score.scales.find((s) => (s.code?.code !== undefined && calc.codes.includes(s.code.code)) || s.id === calc.linkId);
    if (!scale) continue;
    const agree = calc.error === null && (scale.value === null ? calc.value === null : calc.value !== null && Math.abs(calc.value - scale.value) < 1e-9);
    out.push({ scale: scale.id, linkId: calc.linkId, declarative: scale.value, calculated: calc.value, agree, error: calc.error });
  }
  return out;
}

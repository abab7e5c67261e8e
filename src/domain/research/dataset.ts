/**
 * From stored survey responses to a rectangular dataset with a codebook: one row per respondent, one
 * column per item, then the derived variables (reverse-scored items, scale scores, and the study's
 * versioned transformations: recodes, cut-points and median splits). Missing answers carry user-missing
 * codes, as SPSS users expect: -1 for a question the branching did not ask, -9 for one left unanswered.
 */
import type { QuestionnaireResponse, ResponseAnswer } from '../instruments/fhir.ts';
import { median } from './numbers.ts';
import type { Survey, SurveyItem } from './survey.ts';
import { disabledFor } from './branching.ts';
import { SpiegelError } from '../errors.ts';

export const NOT_ASKED = -1;
export const NO_ANSWER = -9;

export type Cell = number | string | null;

export interface Variable {
  name: string;
  label: string;
  type: 'numeric' | 'string';
  /** Bytes for a string variable (UTF-8), decimals for a numeric one. */
  width: number;
  decimals: number;
  measure: 'nominal' | 'ordinal' | 'scale';
  valueLabels: { value: number; label: string }[];
  /** User-missing codes (numeric variables). */
  missing: number[];
  /** How a derived variable is computed, for the codebook. */
  derivation: string | null;
  quasiIdentifier: boolean;
}

export interface Dataset {
  variables: Variable[];
  /** Row-major cells; a null cell is system-missing. */
  rows: Cell[][];
}

export interface StoredResponse {
  id: string;
  submittedOn: string;
  channel: string;
  consentVersion: number;
  durationMs: number | null;
  response: QuestionnaireResponse;
}

export type Transformation =
  | { kind: 'median-split'; source: string; name: string }
  | { kind: 'recode'; source: string; name: string; map: { from: number[]; to: number; label: string }[] }
  | { kind: 'cut'; source: string; name: string; cuts: number[]; labels: string[] };

const MISSING_LABELS = [
  { value: NOT_ASKED, label: 'niet gevraagd (vertakking) / not asked (branching)' },
  { value: NO_ANSWER, label: 'geen antwoord / no answer' },
];

/** The numeric (or text) value of one FHIR answer. */
export function answerValue(answer: ResponseAnswer | undefined): number | string | null {
  if (!answer) return null;
  if (typeof answer.valueBoolean === 'boolean') return answer.valueBoolean ? 1 : 0;
  if (answer.valueCoding) return Number(answer.valueCoding.code);
  if (typeof answer.valueInteger === 'number') return answer.valueInteger;
  if (typeof answer.valueDecimal === 'number') return answer.valueDecimal;
  if (typeof answer.valueString === 'string') return answer.valueString;
  return null;
}

/** Answers of one response by linkId (flat surveys; nested groups are walked too). */
export function answersOf(response: QuestionnaireResponse): Map<string, number | string> {
  const out = new Map<string, number | string>();
  const walk = (items: QuestionnaireResponse['item']) => {
    for (const item of items ?? []) {
      const v = answerValue(item.answer?.[0]);
      if (v !== null) out.set(item.linkId, v);
      if (item.item) walk(item.item);
    }
  };
  walk(response.item);
  return out;
}

function itemVariable(item: SurveyItem): Variable {
  const open = item.kind === 'open';
  return {
    name: item.name,
    label: item.text,
    type: open ? 'string' : 'numeric',
    width: open ? 0 : 0,
    decimals: 0,
    measure: item.kind === 'numeric' ? 'scale' : item.kind === 'likert' ? 'ordinal' : 'nominal',
    valueLabels: open ? [] : [...item.options.map((o) => ({ value: o.value, label: o.label })), ...MISSING_LABELS],
    missing: open ? [] : [NOT_ASKED, NO_ANSWER],
    derivation: null,
    quasiIdentifier: item.quasiIdentifier,
  };
}

function numericVar(name: string, label: string, derivation: string, decimals = 2): Variable {
  return {
    name,
    label,
    type: 'numeric',
    width: 0,
    decimals,
    measure: 'scale',
    valueLabels: [],
    missing: [],
    derivation,
    quasiIdentifier: false,
  };
}

const isValid = (v: Cell): v is number => typeof v === 'number' && v !== NOT_ASKED && v !== NO_ANSWER;

/** Builds the dataset of a survey's responses. */
export function buildDataset(
  survey: Survey,
  responses: readonly StoredResponse[],
  transformations: readonly Transformation[] = [],
): Dataset {
  const variables: Variable[] = [
    { ...numericVar('resp_id', 'Respondent', 'volgnummer / sequence number', 0), measure: 'nominal', derivation: null },
    { ...itemVariable({ name: 'submitted', text: 'Datum van insturen / submit date', kind: 'open' } as SurveyItem) },
    { ...itemVariable({ name: 'channel', text: 'Wervingskanaal / recruitment channel', kind: 'open' } as SurveyItem) },
    {
      ...numericVar('consent_v', 'Versie toestemmingstekst / consent version', 'consent record', 0),
      measure: 'nominal',
      derivation: null,
    },
    {
      ...numericVar('duration_s', 'Invultijd in seconden / completion time (s)', 'server-measured', 0),
      derivation: null,
    },
    ...survey.items.map(itemVariable),
  ];
  const rows: Cell[][] = responses.map((r, i) => {
    const answers = answersOf(r.response);
    const disabled = disabledFor(survey, r.response);
    const row: Cell[] = [
      i + 1,
      r.submittedOn,
      r.channel,
      r.consentVersion,
      r.durationMs === null ? null : Math.round(r.durationMs / 1000),
    ];
    for (const item of survey.items) {
      const v = answers.get(item.name);
      if (item.kind === 'open') row.push(typeof v === 'string' ? v : '');
      else row.push(disabled.has(item.name) ? NOT_ASKED : typeof v === 'number' ? v : NO_ANSWER);
    }
    return row;
  });
  const column = (name: string) => variables.findIndex((v) => v.name === name);

  // Reverse-scored items: min + max − score, so every item of a scale points the same way.
  for (const item of survey.items.filter((it) => it.reverse)) {
    const src = column(item.name);
    const lo = item.min ?? 1;
    const hi = item.max ?? item.options.length;
    variables.push({
      ...itemVariable(item),
      name: `${item.name}_r`,
      label: `${item.text} (omgepoold / reversed)`,
      derivation: `${lo} + ${hi} − ${item.name}`,
    });
    for (const row of rows) row.push(isValid(row[src]) ? lo + hi - row[src] : row[src]);
  }
  // Scale scores with the minimum-valid-items rule.
  for (const scale of survey.scales) {
    const cols = scale.items.map((name) => ({ col: column(name), reverse: scale.reverse.includes(name) }));
    variables.push(
      numericVar(
        scale.id,
        scale.label,
        `${scale.method} of ${scale.items.map((n) => (scale.reverse.includes(n) ? `${n}_r` : n)).join(', ')}; at least ${scale.minValid} valid items${scale.method === 'sum' ? ', prorated' : ''}`,
      ),
    );
    for (const row of rows) {
      const values: number[] = [];
      for (const { col, reverse } of cols) {
        const v = row[col];
        if (isValid(v)) values.push(reverse ? scale.itemMin + scale.itemMax - v : v);
      }
      if (values.length < scale.minValid) row.push(null);
      else {
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        row.push(scale.method === 'mean' ? mean : mean * scale.items.length);
      }
    }
  }
  for (const t of transformations) applyTransformation(t, variables, rows, column);
  return { variables, rows };
}

function applyTransformation(
  t: Transformation,
  variables: Variable[],
  rows: Cell[][],
  column: (name: string) => number,
): void {
  const src = column(t.source);
  if (src < 0) return;
  const source = variables[src];
  if (t.kind === 'median-split') {
    const values = rows.map((r) => r[src]).filter(isValid);
    const m = values.length ? median(values) : NaN;
    variables.push({
      ...numericVar(
        t.name,
        `${source.label}: mediaansplitsing / median split (${m})`,
        `1 if ${t.source} ≤ ${m} (median), 2 if above`,
        0,
      ),
      measure: 'ordinal',
      valueLabels: [
        { value: 1, label: `≤ ${m}` },
        { value: 2, label: `> ${m}` },
      ],
    });
    for (const row of rows) row.push(isValid(row[src]) ? (row[src] <= m ? 1 : 2) : null);
  } else if (t.kind === 'recode') {
    variables.push({
      ...numericVar(
        t.name,
        `${source.label} (hercodeerd / recoded)`,
        t.map.map((m) => `${m.from.join(',')} → ${m.to}`).join('; '),
        0,
      ),
      measure: 'nominal',
      valueLabels: t.map.map((m) => ({ value: m.to, label: m.label })),
    });
    for (const row of rows) {
      const v = row[src];
      const hit = isValid(v) ? t.map.find((m) => m.from.includes(v)) : undefined;
      row.push(hit ? hit.to : null);
    }
  } else {
    variables.push({
      ...numericVar(
        t.name,
        `${source.label} (ingedeeld / banded)`,
        `cut at ${t.cuts.join(', ')} (lower bounds inclusive)`,
        0,
      ),
      measure: 'ordinal',
      valueLabels: t.labels.map((label, i) => ({ value: i + 1, label })),
    });
    for (const row of rows) {
      const v = row[src];
      row.push(isValid(v) ? 1 + t.cuts.filter((c) => v >= c).length : null);
    }
  }
}

/** Valid numeric values of one variable (user-missing and system-missing left out). */
export function validValues(dataset: Dataset, name: string): number[] {
  const col = dataset.variables.findIndex((v) => v.name === name);
  if (col < 0) return [];
  const missing = new Set(dataset.variables[col].missing);
  const out: number[] = [];
  for (const row of dataset.rows) {
    const v = row[col];
    if (typeof v === 'number' && !missing.has(v)) out.push(v);
  }
  return out;
}

export interface Column {
  variable: Variable;
  /** One entry per row: the valid value, or null (user-missing or system-missing). Shared: do not mutate. */
  values: readonly (number | null)[];
}

// Analyses ask for the same columns many times (every test on an 819 × 100 dataset re-read them: a third of
// the analysis time). A dataset is not changed once built (transformations add columns, never rewrite a
// cell), so a column is computed once per dataset; a changed row count or variable object recomputes it.
const columnCache = new WeakMap<Dataset, { rows: Cell[][]; n: number; columns: Map<string, Column> }>();

/** A variable and its valid values, row by row (for tests that need two variables aligned). */
export function columnOf(dataset: Dataset, name: string): Column {
  let cache = columnCache.get(dataset);
  if (!cache || cache.rows !== dataset.rows || cache.n !== dataset.rows.length) {
    cache = { rows: dataset.rows, n: dataset.rows.length, columns: new Map() };
    columnCache.set(dataset, cache);
  }
  const hit = cache.columns.get(name);
  const col = dataset.variables.findIndex((v) => v.name === name);
  if (col < 0) throw new SpiegelError('STATS_INPUT_INVALID', `Unknown variable '${name}'.`, { variable: name });
  const variable = dataset.variables[col];
  if (hit && hit.variable === variable) return hit;
  const missing = new Set(variable.missing);
  const rows = dataset.rows;
  const values = new Array<number | null>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][col];
    values[i] = typeof v === 'number' && !missing.has(v) ? v : null;
  }
  const column = { variable, values };
  cache.columns.set(name, column);
  return column;
}

/**
 * Reads a CSV straight into the sufficient statistics a formula needs, one row at a time.
 * Rows with a missing value (empty or NA) in a used column are dropped, as lme4's na.omit does.
 */
import { SpiegelError } from '../../domain/errors.ts';
import { designFiller, type ModelSpec } from '../../domain/stats/mixed/formula.ts';
import { GrowthStatsBuilder, type GrowthStats } from '../../domain/stats/mixed/growth-stats.ts';
import { InterceptStatsBuilder, type InterceptStats } from '../../domain/stats/mixed/intercept-stats.ts';
import { fixedVariables, levelCoder, withFactors } from '../../domain/stats/mixed/factors.ts';
import { streamCsv } from './csv.ts';

export type LoadedData = (
  | { kind: 'intercept'; stats: InterceptStats; rowsRead: number; rowsDropped: number }
  | { kind: 'growth'; stats: GrowthStats; rowsRead: number; rowsDropped: number }
) & {
  /** The spec the data were read with: factor variables expanded into their design columns. */
  spec: ModelSpec;
};

export interface FactorRequest {
  /** Columns to read as factors even when their values are numbers. */
  factors?: string[];
  /** Chosen reference levels (as R's relevel); such a column is a factor too. */
  reference?: Record<string, string>;
}

/** Thrown by the numeric pass when a fixed-part column holds text: the file is read again as factors. */
class TextInColumn extends SpiegelError {
  constructor(column: string) {
    super('MODEL_DATA_INVALID', `column '${column}' holds text`, { column });
  }
}

const MAX_LEVELS = 10_000;

/**
 * A fixed-part column with any non-numeric value is a factor, as a string column is in R. Numeric
 * files are read once; a file with text columns (or declared factors) gets one extra pass that
 * collects the levels of the rows that enter the fit.
 */
export async function loadModelData(path: string, spec: ModelSpec, req: FactorRequest = {}): Promise<LoadedData> {
  const declared = [...new Set([...(req.factors ?? []), ...Object.keys(req.reference ?? {})])];
  if (declared.length === 0) {
    try {
      return await loadWith(path, spec, true);
    } catch (error) {
      if (!(error instanceof TextInColumn)) throw error;
    }
  }
  const levels = await collectLevels(path, spec, declared);
  return loadWith(path, withFactors(spec, levels, req.reference ?? {}), false);
}

async function collectLevels(path: string, spec: ModelSpec, declared: string[]): Promise<Record<string, string[]>> {
  const candidates = fixedVariables(spec);
  for (const v of declared)
    if (!candidates.includes(v))
      throw new SpiegelError(
        'MODEL_FORMULA_INVALID',
        v === spec.response || spec.numericVariables.includes(v)
          ? `'${v}' cannot be a factor: it is the response or the random slope`
          : `'${v}' is not a fixed-effect variable of the formula, so it cannot be a factor`,
        { column: v },
      );
  const used = [...spec.numericVariables, ...spec.groupVariables];
  let usedIdx: number[] = [];
  let candIdx: number[] = [];
  const seen = candidates.map(() => new Set<string>());
  const text = candidates.map((v) => declared.includes(v));
  const numeric = candidates.map(() => false);
  const firstText: ({ line: number; value: string } | null)[] = candidates.map(() => null);
  let decimalComma = false;
  await streamCsv(path, {
    header(names, delimiter) {
      decimalComma = delimiter === ';';
      usedIdx = used.map((v) => names.indexOf(v)).filter((k) => k >= 0);
      candIdx = candidates.map((v) => names.indexOf(v));
    },
    row(f, line) {
      for (const k of usedIdx) if (k >= f.length || isMissing(f[k])) return;
      for (let c = 0; c < candIdx.length; c++) {
        const s = f[candIdx[c]];
        if (s === undefined) continue;
        if (s.trim() !== '' && Number.isFinite(Number(decimalComma ? s.replace(',', '.') : s))) numeric[c] = true;
        else if (firstText[c] === null) {
          firstText[c] = { line, value: s };
          text[c] = true;
        }
        if (seen[c].size <= MAX_LEVELS) seen[c].add(s);
      }
    },
  });
  const out: Record<string, string[]> = {};
  candidates.forEach((v, c) => {
    if (!text[c]) return;
    const t = firstText[c];
    // A column of numbers with a stray text value is more likely a typo than a factor: say so.
    if (!declared.includes(v) && numeric[c] && t)
      throw new SpiegelError(
        'MODEL_DATA_INVALID',
        `column '${v}' mixes numbers and text (line ${t.line}: '${t.value}'); fix the value, or declare the column a factor with --factor '${v}'`,
        { column: v, line: t.line },
      );
    if (seen[c].size > MAX_LEVELS)
      throw new SpiegelError('MODEL_DATA_INVALID', `factor '${v}' has more than ${MAX_LEVELS} levels`, { column: v });
    out[v] = [...seen[c]];
  });
  return out;
}

const isMissing = (s: string): boolean => s === '' || s === 'NA' || s === 'NaN' || s === 'null';

async function loadWith(path: string, spec: ModelSpec, probe: boolean): Promise<LoadedData> {
  const numNames = spec.numericVariables;
  const groupNames = spec.groupVariables;
  let numIdx: number[] = [];
  let groupIdx: number[] = [];
  let width = 0;
  const values = new Float64Array(numNames.length);
  const x = new Float64Array(spec.columns.length);
  const fill = designFiller(spec);
  const random = spec.random;
  const slopeAt = random.kind === 'growth' && random.slope ? numNames.indexOf(random.slope) : -1;
  const intercept = random.kind === 'intercept' ? new InterceptStatsBuilder(spec.columns, spec.response) : null;
  const growth = random.kind === 'growth' ? new GrowthStatsBuilder(spec.columns, spec.response) : null;
  let dropped = 0;
  const nested = spec.innerWithinOuter;
  let decimalComma = false;
  const slopeName = random.kind === 'growth' ? random.slope : null;
  // Per variable: a level coder for a factor, null for a number.
  const coders = numNames.map((v) => (spec.factors[v] ? levelCoder(spec.factors[v]) : null));
  const mayBeFactor = numNames.map((v, k) => k > 0 && v !== slopeName);

  const rowsRead = await streamCsv(path, {
    header(names, delimiter) {
      decimalComma = delimiter === ';';
      const find = (v: string): number => {
        const k = names.indexOf(v);
        if (k < 0)
          throw new SpiegelError(
            'MODEL_DATA_INVALID',
            `column '${v}' of the formula is not in ${path} (columns: ${names.join(', ')})`,
            { column: v },
          );
        return k;
      };
      numIdx = numNames.map(find);
      groupIdx = groupNames.map(find);
      width = names.length;
    },
    row(f, line) {
      if (f.length !== width)
        throw new SpiegelError(
          'MODEL_DATA_INVALID',
          `${path}: line ${line} has ${f.length} fields, the header has ${width}${decimalComma ? " (';'-separated file)" : ''}`,
          { line },
        );
      for (let k = 0; k < numIdx.length; k++) {
        const s = f[numIdx[k]];
        if (isMissing(s)) {
          dropped++;
          return;
        }
        const coder = coders[k];
        if (coder) {
          values[k] = coder(s);
          continue;
        }
        const v = Number(decimalComma ? s.replace(',', '.') : s);
        if (!Number.isFinite(v) || s.trim() === '') {
          if (probe && mayBeFactor[k]) throw new TextInColumn(numNames[k]);
          throw new SpiegelError(
            'MODEL_DATA_INVALID',
            `${path}: line ${line}, column ${numIdx[k] + 1} ('${numNames[k]}'): not a number: '${s}'`,
            { line, column: numNames[k] },
          );
        }
        values[k] = v;
      }
      for (const g of groupIdx) {
        if (isMissing(f[g])) {
          dropped++;
          return;
        }
      }
      fill(values, x);
      if (intercept) intercept.add(f[groupIdx[0]], x, values[0]);
      else if (growth) {
        const therapist = groupIdx.length > 1 ? f[groupIdx[1]] : '';
        // therapist/patient: the patient is the pair, named as R names interaction levels.
        const patient = nested ? `${therapist}:${f[groupIdx[0]]}` : f[groupIdx[0]];
        growth.add(therapist, patient, slopeAt >= 0 ? values[slopeAt] : 0, x, values[0]);
      }
    },
  });
  if (intercept) return { kind: 'intercept', stats: intercept.finish(), rowsRead, rowsDropped: dropped, spec };
  return { kind: 'growth', stats: (growth as GrowthStatsBuilder).finish(), rowsRead, rowsDropped: dropped, spec };
}

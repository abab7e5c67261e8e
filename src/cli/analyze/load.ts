/**
 * Reads a CSV straight into the sufficient statistics a formula needs, one row at a time.
 * Rows with a missing value (empty or NA) in a used column are dropped, as lme4's na.omit does.
 */
import { SpiegelError } from '../../domain/errors.ts';
import { designFiller, type ModelSpec } from '../../domain/stats/mixed/formula.ts';
import { GrowthStatsBuilder, type GrowthStats } from '../../domain/stats/mixed/growth-stats.ts';
import { InterceptStatsBuilder, type InterceptStats } from '../../domain/stats/mixed/intercept-stats.ts';
import { streamCsv } from './csv.ts';

export type LoadedData =
  | { kind: 'intercept'; stats: InterceptStats; rowsRead: number; rowsDropped: number }
  | { kind: 'growth'; stats: GrowthStats; rowsRead: number; rowsDropped: number };

const isMissing = (s: string): boolean => s === '' || s === 'NA' || s === 'NaN' || s === 'null';

export async function loadModelData(path: string, spec: ModelSpec): Promise<LoadedData> {
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
        const v = Number(decimalComma ? s.replace(',', '.') : s);
        if (!Number.isFinite(v) || s.trim() === '') {
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
  if (intercept) return { kind: 'intercept', stats: intercept.finish(), rowsRead, rowsDropped: dropped };
  return { kind: 'growth', stats: (growth as GrowthStatsBuilder).finish(), rowsRead, rowsDropped: dropped };
}

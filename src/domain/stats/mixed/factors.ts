/**
 * Factor (categorical) columns in the fixed part, coded as R codes them with treatment contrasts
 * (`contr.treatment`, R's default for unordered factors):
 * - levels are sorted as R's `factor()` sorts them (numerically when every level is a number, else
 *   alphabetically, case-insensitively first), and the chosen reference level, as `relevel()`, moves
 *   to the front;
 * - in a term, a factor is coded by contrasts (one 0/1 column per non-reference level) when the term
 *   without that factor is also in the model (the intercept counts as the empty term), and by
 *   indicators for every level otherwise: R's rule in `model.matrix`;
 * - columns are named as R names them (`treatmentcbt`, `` `intake score`:treatmentcbt ``), the first
 *   variable of a term varying fastest.
 * Only levels of rows that enter the fit count (lme4 drops unused levels).
 */
import { SpiegelError } from '../../errors.ts';
import { rName, type ModelSpec } from './formula.ts';

const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: false });

/** Distinct values in R's `factor()` order. */
export function sortLevels(values: Iterable<string>): string[] {
  const levels = [...new Set(values)];
  const numeric = levels.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  return numeric
    ? levels.sort((a, b) => Number(a) - Number(b))
    : levels.sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The fixed-part variables that may be factors (not the response, not the random slope). */
export function fixedVariables(spec: ModelSpec): string[] {
  const slope = spec.random.kind === 'growth' ? spec.random.slope : null;
  const vars = new Set<string>();
  for (const t of spec.terms) for (const v of t) vars.add(v);
  return [...vars].filter((v) => v !== spec.response && v !== slope);
}

/**
 * The spec with its factor variables expanded into design columns. `levels` gives each factor's
 * levels (any order: they are sorted as R sorts them); `reference` the chosen reference levels.
 */
export function withFactors(
  spec: ModelSpec,
  levels: Record<string, Iterable<string>>,
  reference: Record<string, string> = {},
): ModelSpec {
  const slope = spec.random.kind === 'growth' ? spec.random.slope : null;
  for (const v of Object.keys(reference))
    if (!(v in levels))
      throw new SpiegelError(
        'MODEL_FORMULA_INVALID',
        `a reference level is given for '${v}', which is not a factor of the model`,
        {
          column: v,
        },
      );
  const factors: Record<string, string[]> = {};
  for (const [v, vals] of Object.entries(levels)) {
    if (v === spec.response)
      throw new SpiegelError('MODEL_DATA_INVALID', `the response '${v}' must be numeric, not a factor`, { column: v });
    if (v === slope)
      throw new SpiegelError('MODEL_DATA_INVALID', `the random slope '${v}' must be numeric, not a factor`, {
        column: v,
      });
    if (!fixedVariables(spec).includes(v))
      throw new SpiegelError('MODEL_FORMULA_INVALID', `'${v}' is not a fixed-effect variable of the formula`, {
        column: v,
      });
    let lv = sortLevels(vals);
    if (lv.length < 2)
      throw new SpiegelError(
        'MODEL_DATA_INVALID',
        lv.length === 0
          ? `factor '${v}' has no levels in the rows used`
          : `factor '${v}' has only one level ('${lv[0]}') in the rows used; a factor needs two or more`,
        { column: v, levels: lv },
      );
    const ref = reference[v];
    if (ref !== undefined) {
      if (!lv.includes(ref))
        throw new SpiegelError(
          'MODEL_DATA_INVALID',
          `reference level '${ref}' of '${v}' does not occur in the rows used (levels: ${lv.join(', ')})`,
          { column: v, reference: ref, levels: lv },
        );
      lv = [ref, ...lv.filter((l) => l !== ref)];
    }
    factors[v] = lv;
  }
  const present = new Set(spec.terms.map((t) => [...t].sort().join('\u0000')));
  const columns: string[] = [];
  const terms: string[][] = [];
  const columnCodes: (number | null)[][] = [];
  for (const t of spec.terms) {
    // Per variable: the (code, label) options; the first variable varies fastest.
    const options = t.map((v) => {
      const lv = factors[v];
      if (!lv) return [{ code: null as number | null, label: rName(v) }];
      const rest = t
        .filter((w) => w !== v)
        .sort()
        .join('\u0000');
      const from = present.has(rest) ? 1 : 0;
      return lv.slice(from).map((l, k) => ({ code: from + k, label: rName(v) + l }));
    });
    if (t.length === 0) {
      columns.push('(Intercept)');
      terms.push([]);
      columnCodes.push([]);
      continue;
    }
    const count = options.reduce((n, o) => n * o.length, 1);
    for (let i = 0; i < count; i++) {
      let rem = i;
      const pick = options.map((o) => {
        const x = o[rem % o.length];
        rem = Math.floor(rem / o.length);
        return x;
      });
      columns.push(pick.map((x) => x.label).join(':'));
      terms.push([...t]);
      columnCodes.push(pick.map((x) => x.code));
    }
  }
  return { ...spec, columns, terms, columnCodes, factors };
}

/** Level code of a factor value, or -1 when the value is not a level. */
export function levelCoder(levels: string[]): (value: string) => number {
  const map = new Map(levels.map((l, k) => [l, k]));
  return (value) => map.get(value) ?? -1;
}

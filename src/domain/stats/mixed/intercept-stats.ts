/**
 * Sufficient statistics of the two-level random-intercept model y ~ X·β + (1 | group): per group
 * n_j and the mean m_j of w = [x, y], plus the pooled within-group cross-product
 * W = Σ_j Σ_i (w_ij − m_j)(w_ij − m_j)ᵀ. Centred by construction, so no digits are lost to the
 * data's level. A SQL query can produce the same structure (docs/mixed-models.md).
 */
import { SpiegelError } from '../../errors.ts';

export interface InterceptStats {
  /** Fixed-effect design column names; columns[0] must be '(Intercept)'. */
  columns: string[];
  response: string;
  /** q = columns.length + 1 (w = [x, y]). */
  q: number;
  nObs: number;
  groupIds: string[];
  /** Rows per group. */
  n: Float64Array;
  /** Group means of w, row-major J×q (column 0 is 1). */
  mean: Float64Array;
  /** Pooled within-group cross-product, q×q symmetric. */
  within: Float64Array;
}

/** One row for `buildInterceptStats`. x is the fixed design row with x[0] = 1. */
export interface InterceptRow {
  group: string | number;
  x: ArrayLike<number>;
  y: number;
}

/** Streaming accumulator (Welford's update per group, pooled into one within cross-product). */
export class InterceptStatsBuilder {
  readonly columns: string[];
  readonly response: string;
  private readonly q: number;
  private nObs = 0;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private cap = 256;
  private n = new Float64Array(this.cap);
  private mean: Float64Array;
  private readonly within: Float64Array;
  private readonly delta: Float64Array;

  constructor(columns: string[], response: string) {
    if (columns[0] !== '(Intercept)') {
      throw new SpiegelError('MODEL_FORMULA_INVALID', 'the model needs an intercept as its first fixed-effect column', {
        columns,
      });
    }
    this.columns = columns;
    this.response = response;
    this.q = columns.length + 1;
    this.mean = new Float64Array(this.cap * this.q);
    this.within = new Float64Array(this.q * this.q);
    this.delta = new Float64Array(this.q);
  }

  add(group: string | number, x: ArrayLike<number>, y: number): void {
    const q = this.q;
    if (x[0] !== 1)
      throw new SpiegelError('MODEL_DATA_INVALID', 'the first design column must be the intercept (1)', {
        x: Array.from(x),
      });
    for (let k = 0; k < q - 1; k++) {
      if (!Number.isFinite(x[k]))
        throw new SpiegelError('MODEL_DATA_INVALID', `non-finite value in column '${this.columns[k]}'`, {
          row: this.nObs + 1,
        });
    }
    if (!Number.isFinite(y))
      throw new SpiegelError('MODEL_DATA_INVALID', `non-finite value in column '${this.response}'`, {
        row: this.nObs + 1,
      });
    const key = String(group);
    let j = this.index.get(key);
    if (j === undefined) {
      j = this.ids.length;
      if (j === this.cap) this.grow();
      this.index.set(key, j);
      this.ids.push(key);
    }
    const nj = ++this.n[j];
    const o = j * q;
    const d = this.delta;
    for (let k = 0; k < q; k++) {
      const v = k < q - 1 ? x[k] : y;
      d[k] = v - this.mean[o + k];
      this.mean[o + k] += d[k] / nj;
    }
    // Welford: W += (n−1)/n · δδᵀ with δ the deviation from the previous mean.
    const f = (nj - 1) / nj;
    for (let k = 0; k < q; k++) for (let l = 0; l <= k; l++) this.within[k * q + l] += f * d[k] * d[l];
    this.nObs++;
  }

  finish(): InterceptStats {
    const q = this.q;
    const J = this.ids.length;
    const within = Float64Array.from(this.within);
    for (let k = 0; k < q; k++) for (let l = k + 1; l < q; l++) within[k * q + l] = within[l * q + k];
    return {
      columns: this.columns,
      response: this.response,
      q,
      nObs: this.nObs,
      groupIds: this.ids,
      n: this.n.slice(0, J),
      mean: this.mean.slice(0, J * q),
      within,
    };
  }

  private grow(): void {
    const cap = this.cap * 2;
    const n = new Float64Array(cap);
    n.set(this.n);
    const mean = new Float64Array(cap * this.q);
    mean.set(this.mean);
    this.n = n;
    this.mean = mean;
    this.cap = cap;
  }
}

export function buildInterceptStats(rows: Iterable<InterceptRow>, columns: string[], response: string): InterceptStats {
  const b = new InterceptStatsBuilder(columns, response);
  for (const r of rows) b.add(r.group, r.x, r.y);
  return b.finish();
}

/**
 * Assembles InterceptStats from per-group rows (n and the mean of each w column, as SQL's
 * `GROUP BY therapist` with AVG gives them) and the pooled within-group cross-product
 * Σ(w − m_g)(w − m_g)ᵀ (computed in SQL against the group means, not from raw sums of squares).
 */
export function interceptStatsFromGroups(input: {
  columns: string[];
  response: string;
  groups: Iterable<{ group: string | number; n: number; mean: ArrayLike<number> }>;
  within: ArrayLike<number>;
}): InterceptStats {
  const q = input.columns.length + 1;
  if (input.columns[0] !== '(Intercept)')
    throw new SpiegelError('MODEL_FORMULA_INVALID', "the first fixed-effect column must be '(Intercept)'", {});
  if (input.within.length !== q * q)
    throw new SpiegelError('MODEL_DATA_INVALID', `within must have ${q * q} entries (q = ${q})`, {});
  const gs = [...input.groups];
  const n = new Float64Array(gs.length);
  const mean = new Float64Array(gs.length * q);
  const ids = new Set<string>();
  gs.forEach((g, j) => {
    const id = String(g.group);
    if (ids.has(id)) throw new SpiegelError('MODEL_DATA_INVALID', `group '${id}' occurs twice`, { group: id });
    ids.add(id);
    if (!(g.n > 0) || g.mean.length !== q)
      throw new SpiegelError('MODEL_DATA_INVALID', `group '${id}': need n > 0 and ${q} means`, { group: id });
    n[j] = g.n;
    for (let k = 0; k < q; k++) mean[j * q + k] = g.mean[k];
    mean[j * q] = 1;
  });
  return {
    columns: input.columns,
    response: input.response,
    q,
    nObs: n.reduce((a, b) => a + b, 0),
    groupIds: [...ids],
    n,
    mean,
    within: Float64Array.from(input.within),
  };
}

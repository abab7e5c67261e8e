/**
 * Profiled criterion of the random-intercept model from per-group statistics (DESIGN.md):
 *   A(θ) = W + Σ_j d_j m_j m_jᵀ, d_j = n_j/(1 + n_jθ²)   (m_j centred at the grand mean)
 *   REML: Σ log(1 + n_jθ²) + log|A_xx| + (N−p)(1 + log(2π r²/(N−p))), r² = A_yy − A_yxA_xx⁻¹A_xy
 *   ML:   Σ log(1 + n_jθ²) + N(1 + log(2π r²/N))
 * Groups of equal size share d_j, so their m_j m_jᵀ are summed once: an evaluation costs
 * O(distinct group sizes · q²).
 */
import { SpiegelError } from '../../errors.ts';
import { cholesky } from './linalg.ts';
import type { InterceptStats } from './intercept-stats.ts';
import type { FitMethod } from './types.ts';

export interface InterceptProblem {
  columns: string[];
  response: string;
  groupIds: string[];
  q: number;
  p: number;
  nObs: number;
  n: Float64Array;
  /** Group means centred at the grand mean (column 0 stays 1), J×q. */
  centred: Float64Array;
  within: Float64Array;
  /** Grand mean of w (0 for the intercept): the centring shift, used to map β back. */
  shift: Float64Array;
  /** Distinct group sizes, how many groups have each, and Σ m mᵀ over them (lower triangles). */
  sizes: Float64Array;
  sizeCount: Float64Array;
  sizeOuter: Float64Array;
}

export function compressIntercept(s: InterceptStats): InterceptProblem {
  const { q, nObs } = s;
  const J = s.n.length;
  const shift = new Float64Array(q);
  for (let j = 0; j < J; j++) for (let k = 1; k < q; k++) shift[k] += s.n[j] * s.mean[j * q + k];
  for (let k = 1; k < q; k++) shift[k] /= nObs;
  const centred = Float64Array.from(s.mean);
  for (let j = 0; j < J; j++) for (let k = 1; k < q; k++) centred[j * q + k] -= shift[k];
  const bySize = new Map<number, number>();
  const sizes: number[] = [];
  for (let j = 0; j < J; j++) {
    if (!bySize.has(s.n[j])) {
      bySize.set(s.n[j], sizes.length);
      sizes.push(s.n[j]);
    }
  }
  const qq = q * q;
  const sizeCount = new Float64Array(sizes.length);
  const sizeOuter = new Float64Array(sizes.length * qq);
  for (let j = 0; j < J; j++) {
    const d = bySize.get(s.n[j]) as number;
    sizeCount[d]++;
    for (let a = 0; a < q; a++)
      for (let b = 0; b <= a; b++) sizeOuter[d * qq + a * q + b] += centred[j * q + a] * centred[j * q + b];
  }
  return {
    columns: s.columns,
    response: s.response,
    groupIds: s.groupIds,
    q,
    p: q - 1,
    nObs,
    n: s.n,
    centred,
    within: s.within,
    shift,
    sizes: Float64Array.from(sizes),
    sizeCount,
    sizeOuter,
  };
}

export interface InterceptDetails {
  criterion: number;
  /** Lower Cholesky factor of A(θ) (q×q). */
  qFactor: Float64Array;
  r2: number;
}

export function interceptCriterion(
  prob: InterceptProblem,
  method: FitMethod,
): {
  evaluate(theta: ArrayLike<number>): number;
  details(theta: ArrayLike<number>): InterceptDetails;
} {
  const { q, p, nObs } = prob;
  const qq = q * q;
  const A = new Float64Array(qq);
  const D = prob.sizes.length;

  function run(theta: ArrayLike<number>): number {
    if (theta.length !== 1) {
      throw new SpiegelError('MODEL_DATA_INVALID', `theta must have 1 value for this model, got ${theta.length}`, {
        theta: Array.from(theta),
      });
    }
    const lam = theta[0] * theta[0];
    A.set(prob.within);
    let logdet = 0;
    for (let d = 0; d < D; d++) {
      const n = prob.sizes[d];
      logdet += prob.sizeCount[d] * Math.log1p(n * lam);
      const f = n / (1 + n * lam);
      const o = d * qq;
      for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) A[a * q + b] += f * prob.sizeOuter[o + a * q + b];
    }
    if (!cholesky(A, q, q, 1e-11)) return Number.POSITIVE_INFINITY;
    const r2 = A[qq - 1] * A[qq - 1];
    if (method === 'ML') return logdet + nObs * (1 + Math.log((2 * Math.PI * r2) / nObs));
    let ldRX2 = 0;
    for (let i = 0; i < p; i++) ldRX2 += 2 * Math.log(A[i * q + i]);
    const dfr = nObs - p;
    return logdet + ldRX2 + dfr * (1 + Math.log((2 * Math.PI * r2) / dfr));
  }

  return {
    evaluate: run,
    details(theta) {
      const criterion = run(theta);
      if (!Number.isFinite(criterion)) {
        throw new SpiegelError(
          'MODEL_DATA_INVALID',
          'the fixed-effect design is rank deficient (collinear columns) or the response is constant',
          {
            columns: prob.columns,
          },
        );
      }
      return { criterion, qFactor: Float64Array.from(A), r2: A[qq - 1] * A[qq - 1] };
    },
  };
}

/**
 * Profiled REML/ML criterion of the growth model from sufficient statistics.
 *
 * With u spherical, Λ = blockdiag(Lp per patient, λ per therapist), M = ΛᵀZᵀZΛ + I and
 * Q = WᵀW − WᵀZΛ·M⁻¹·ΛᵀZᵀW for W = [X y], lme4's criterion is
 *   REML: log|M| + log|Q_xx| + (N−p)(1 + log(2π r²/(N−p))),   ML: log|M| + N(1 + log(2π r²/N)),
 * with r² = Q_yy − Q_yxQ_xx⁻¹Q_xy. M is eliminated patient block (2×2 D_i = LpᵀG_iLp + I) first,
 * then per therapist a scalar Schur complement S_j. D_i and H_i = Lp·D_i⁻¹·Lpᵀ depend only on the
 * patient's (n, Σt, Σt²) "pattern", so patients sharing a pattern are merged: one evaluation costs
 * O(patterns·q² + (therapist, pattern) cells·q + therapists·q²), independent of the session rows.
 */
import { SpiegelError } from '../../errors.ts';
import { cholesky } from './linalg.ts';
import type { GrowthStats } from './growth-stats.ts';
import type { FitMethod } from './types.ts';

export interface GrowthStructure {
  /** Random slope on t for patients (else a patient random intercept only). */
  slope: boolean;
  /** Therapist random intercept. */
  therapist: boolean;
}

/** Compressed, centred statistics ready for repeated criterion evaluations. */
export interface GrowthProblem {
  structure: GrowthStructure;
  columns: string[];
  response: string;
  therapistIds: string[];
  q: number;
  p: number;
  nObs: number;
  nPatients: number;
  /** Patterns (distinct n, Σt, Σt²): counts and Σ sw·swᵀ, Σ (sw·stwᵀ + stw·swᵀ), Σ stw·stwᵀ. */
  pn: Float64Array;
  pst: Float64Array;
  pstt: Float64Array;
  pcount: Float64Array;
  a00: Float64Array;
  a01: Float64Array;
  a11: Float64Array;
  /** (therapist, pattern) cells, ordered by therapist: pattern, count, Σsw, Σstw. */
  cellPattern: Int32Array;
  cellCount: Float64Array;
  cellSw: Float64Array;
  cellStw: Float64Array;
  thStart: Int32Array;
  thN: Float64Array;
  thS: Float64Array;
  wtw: Float64Array;
  shift: Float64Array;
  /** t was stored as t − tShift; θ in lme4's (raw t) convention is mapped by `shiftTheta`. */
  tShift: number;
}

export function compressGrowth(s: GrowthStats, structure: GrowthStructure): GrowthProblem {
  const { q } = s;
  const P = s.n.length;
  const J = s.therapistIds.length;
  const patternOf = new Int32Array(P);
  const keys = new Map<string, number>();
  const pn: number[] = [];
  const pst: number[] = [];
  const pstt: number[] = [];
  for (let i = 0; i < P; i++) {
    const key = `${s.n[i]}|${s.st[i]}|${s.stt[i]}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = pn.length;
      keys.set(key, k);
      pn.push(s.n[i]);
      pst.push(s.st[i]);
      pstt.push(s.stt[i]);
    }
    patternOf[i] = k;
  }
  const K = pn.length;
  const qq = q * q;
  const pcount = new Float64Array(K);
  const a00 = new Float64Array(K * qq);
  const a01 = new Float64Array(K * qq);
  const a11 = new Float64Array(K * qq);
  const thN = new Float64Array(J);
  const thS = new Float64Array(J * q);
  const cellKey = new Map<number, number>();
  const cellTh: number[] = [];
  const cellPat: number[] = [];
  const cellOfPatient = new Int32Array(P);
  for (let i = 0; i < P; i++) {
    const k = patternOf[i];
    const j = s.patientTherapist[i];
    pcount[k] += 1;
    thN[j] += s.n[i];
    const o = i * q;
    for (let a = 0; a < q; a++) {
      const swa = s.sw[o + a];
      const stwa = s.stw[o + a];
      thS[j * q + a] += swa;
      for (let b = 0; b <= a; b++) {
        const idx = k * qq + a * q + b;
        a00[idx] += swa * s.sw[o + b];
        a01[idx] += swa * s.stw[o + b] + stwa * s.sw[o + b];
        a11[idx] += stwa * s.stw[o + b];
      }
    }
    const ck = j * K + k;
    let c = cellKey.get(ck);
    if (c === undefined) {
      c = cellTh.length;
      cellKey.set(ck, c);
      cellTh.push(j);
      cellPat.push(k);
    }
    cellOfPatient[i] = c;
  }
  // Order cells by therapist (counting sort) so an evaluation walks them therapist by therapist.
  const C = cellTh.length;
  const thStart = new Int32Array(J + 1);
  for (let c = 0; c < C; c++) thStart[cellTh[c] + 1]++;
  for (let j = 0; j < J; j++) thStart[j + 1] += thStart[j];
  const pos = thStart.slice(0, J);
  const newIndex = new Int32Array(C);
  for (let c = 0; c < C; c++) newIndex[c] = pos[cellTh[c]]++;
  const cellPattern = new Int32Array(C);
  const cellCount = new Float64Array(C);
  const cellSw = new Float64Array(C * q);
  const cellStw = new Float64Array(C * q);
  for (let c = 0; c < C; c++) cellPattern[newIndex[c]] = cellPat[c];
  for (let i = 0; i < P; i++) {
    const c = newIndex[cellOfPatient[i]];
    cellCount[c] += 1;
    for (let a = 0; a < q; a++) {
      cellSw[c * q + a] += s.sw[i * q + a];
      cellStw[c * q + a] += s.stw[i * q + a];
    }
  }
  return {
    structure,
    columns: s.columns,
    response: s.response,
    therapistIds: s.therapistIds,
    q,
    p: q - 1,
    nObs: s.nObs,
    nPatients: P,
    pn: Float64Array.from(pn),
    pst: Float64Array.from(pst),
    pstt: Float64Array.from(pstt),
    pcount,
    a00,
    a01,
    a11,
    cellPattern,
    cellCount,
    cellSw,
    cellStw,
    thStart,
    thN,
    thS,
    wtw: s.wtw,
    shift: s.shift,
    tShift: structure.slope ? (s.tShift ?? 0) : 0,
  };
}

/**
 * The patient factor Lp = [[a, 0], [b, d]] for covariate t, expressed for t − c: [1, t] = [1, t − c]·B
 * with B = [[1, c], [0, 1]], so the factor becomes B·Lp = [[a + cb, cd], [b, d]], re-triangularised
 * (only Lp·Lpᵀ enters the criterion). The determinant a·d is unchanged, which keeps L22 exact:
 * L11 = hypot(a + cb, cd), L21 = (b(a + cb) + cd²)/L11, L22 = |a·d|/L11. shiftTheta(θ, −c) undoes it.
 */
export function shiftTheta(st: GrowthStructure, theta: ArrayLike<number>, c: number): number[] {
  const out = Array.from(theta);
  if (!st.slope || c === 0) return out;
  const [a, b, d] = [theta[0], theta[1], theta[2]];
  const u = a + c * b;
  const v = c * d;
  const l11 = Math.hypot(u, v);
  if (l11 === 0) {
    out[0] = 0;
    out[1] = 0;
    out[2] = Math.hypot(b, d);
  } else {
    out[0] = l11;
    out[1] = (b * u + d * v) / l11;
    out[2] = Math.abs(a * d) / l11;
  }
  return out;
}

/** Number of θ parameters and their lower bounds, in lme4's order (patient factor, then therapist). */
export function growthThetaLayout(st: GrowthStructure): { lower: number[]; names: string[] } {
  const lower = st.slope ? [0, -Infinity, 0] : [0];
  const names = st.slope ? ['patient.L11', 'patient.L21', 'patient.L22'] : ['patient.L11'];
  if (st.therapist) {
    lower.push(0);
    names.push('therapist.L11');
  }
  return { lower, names };
}

/** Expands lme4-ordered θ into (l11, l21, l22, λ). */
export function fullTheta(st: GrowthStructure, theta: ArrayLike<number>): [number, number, number, number] {
  const expected = growthThetaLayout(st).lower.length;
  if (theta.length !== expected) {
    throw new SpiegelError(
      'MODEL_DATA_INVALID',
      `theta must have ${expected} values for this model, got ${theta.length}`,
      { theta: Array.from(theta) },
    );
  }
  if (st.slope) return [theta[0], theta[1], theta[2], st.therapist ? theta[3] : 0];
  return [theta[0], 0, 0, st.therapist ? theta[1] : 0];
}

/** Everything a fit needs besides the criterion: Q's Cholesky factor and the therapist terms. */
export interface GrowthDetails {
  criterion: number;
  /** Lower Cholesky factor of Q (q×q); the last pivot squared is r². */
  qFactor: Float64Array;
  r2: number;
  /** Per therapist: Schur complement S_j and e_j (J×q). */
  schur: Float64Array;
  e: Float64Array;
}

/** Returns a criterion function with preallocated workspace (the optimiser calls it thousands of times). */
export function growthCriterion(
  prob: GrowthProblem,
  method: FitMethod,
): {
  /** Criterion at θ in lme4's convention (for the raw t). */
  evaluate(theta: ArrayLike<number>): number;
  /** Criterion at θ for the shifted t (t − prob.tShift): what the optimiser works on. */
  evaluateShifted(theta: ArrayLike<number>): number;
  details(theta: ArrayLike<number>): GrowthDetails;
  detailsShifted(theta: ArrayLike<number>): GrowthDetails;
} {
  const { q, p, nObs, structure } = prob;
  const K = prob.pn.length;
  const J = prob.therapistIds.length;
  const qq = q * q;
  const Q = new Float64Array(qq);
  const h0 = new Float64Array(K);
  const h1 = new Float64Array(K);
  const ghg = new Float64Array(K);
  const e = new Float64Array(q);

  function run(theta: ArrayLike<number>, keep: { schur: Float64Array; e: Float64Array } | null): number {
    const [a, b, d, lam] = fullTheta(structure, theta);
    Q.set(prob.wtw);
    let logdet = 0;
    for (let k = 0; k < K; k++) {
      const n = prob.pn[k];
      const st = prob.pst[k];
      const stt = prob.pstt[k];
      // D = LpᵀGLp + I with Lp = [[a, 0], [b, d]], G = [[n, st], [st, stt]]
      const D00 = a * a * n + 2 * a * b * st + b * b * stt + 1;
      const D01 = d * (a * st + b * stt);
      const D11 = d * d * stt + 1;
      const det = D00 * D11 - D01 * D01;
      logdet += prob.pcount[k] * Math.log(det);
      const i00 = D11 / det;
      const i01 = -D01 / det;
      const i11 = D00 / det;
      // H = Lp·D⁻¹·Lpᵀ
      const H00 = a * a * i00;
      const H01 = a * (b * i00 + d * i01);
      const H11 = b * b * i00 + 2 * b * d * i01 + d * d * i11;
      h0[k] = H00 * n + H01 * st;
      h1[k] = H01 * n + H11 * st;
      ghg[k] = n * h0[k] + st * h1[k];
      const o = k * qq;
      for (let r = 0; r < q; r++) {
        const row = r * q;
        for (let c = 0; c <= r; c++)
          Q[row + c] -= H00 * prob.a00[o + row + c] + H01 * prob.a01[o + row + c] + H11 * prob.a11[o + row + c];
      }
    }
    if (lam !== 0) {
      const lam2 = lam * lam;
      for (let j = 0; j < J; j++) {
        let omega = prob.thN[j];
        for (let r = 0; r < q; r++) e[r] = prob.thS[j * q + r];
        for (let c = prob.thStart[j]; c < prob.thStart[j + 1]; c++) {
          const k = prob.cellPattern[c];
          omega -= prob.cellCount[c] * ghg[k];
          const x0 = h0[k];
          const x1 = h1[k];
          const o = c * q;
          for (let r = 0; r < q; r++) e[r] -= x0 * prob.cellSw[o + r] + x1 * prob.cellStw[o + r];
        }
        const S = 1 + lam2 * omega;
        logdet += Math.log(S);
        const f = lam2 / S;
        for (let r = 0; r < q; r++) {
          const fr = f * e[r];
          const row = r * q;
          for (let c = 0; c <= r; c++) Q[row + c] -= fr * e[c];
        }
        if (keep) {
          keep.schur[j] = S;
          for (let r = 0; r < q; r++) keep.e[j * q + r] = lam * e[r];
        }
      }
    } else if (keep) {
      keep.schur.fill(1);
      keep.e.fill(0);
    }
    if (!cholesky(Q, q, q, 1e-11)) return Number.POSITIVE_INFINITY;
    const r2 = Q[qq - 1] * Q[qq - 1];
    if (method === 'ML') return logdet + nObs * (1 + Math.log((2 * Math.PI * r2) / nObs));
    let ldRX2 = 0;
    for (let i = 0; i < p; i++) ldRX2 += 2 * Math.log(Q[i * q + i]);
    const dfr = nObs - p;
    return logdet + ldRX2 + dfr * (1 + Math.log((2 * Math.PI * r2) / dfr));
  }

  const toShifted = (theta: ArrayLike<number>): ArrayLike<number> =>
    prob.tShift === 0 ? theta : shiftTheta(structure, theta, prob.tShift);
  function detailsShifted(theta: ArrayLike<number>): GrowthDetails {
    const keep = { schur: new Float64Array(J), e: new Float64Array(J * q) };
    const criterion = run(theta, keep);
    if (!Number.isFinite(criterion)) {
      throw new SpiegelError(
        'MODEL_DATA_INVALID',
        'the fixed-effect design is rank deficient (collinear columns) or the response is constant',
        {
          columns: prob.columns,
        },
      );
    }
    const qFactor = Float64Array.from(Q);
    return { criterion, qFactor, r2: Q[qq - 1] * Q[qq - 1], schur: keep.schur, e: keep.e };
  }
  return {
    evaluate: (theta) => run(toShifted(theta), null),
    evaluateShifted: (theta) => run(theta, null),
    details: (theta) => detailsShifted(toShifted(theta)),
    detailsShifted,
  };
}

/**
 * Sufficient statistics of the three-level growth model
 *   y ~ X·β + (1 + t | patient) + (1 | therapist)
 * Everything the criterion needs is, per patient, n, Σt, Σt², Σw and Σt·w, with w = [x, y] the
 * fixed-effect design row followed by the response, plus one global Σwwᵀ. A SQL `GROUP BY patient`
 * can produce exactly this structure (see docs/mixed-models.md); `GrowthStatsBuilder` produces it from
 * rows, streaming, without keeping them.
 *
 * Numerics: w is stored shifted (w − shift, with shift = a first row, 0 for the intercept) so the
 * sums do not carry the data's level; `centreGrowthStats` later moves the shift to the grand mean.
 * Shifting non-intercept columns is a unimodular change of the fixed-effect basis, so the criterion
 * is unchanged and β is mapped back exactly. t, the random-slope covariate, is shifted too (by
 * `tShift`): that changes the basis of the patient random effects, [1, t] = [1, t − c]·[[1, c], [0, 1]],
 * so the criterion at θ equals the shifted problem's criterion at the re-triangularised factor
 * (growth-model.ts `shiftTheta`). Without it, days since 1970 as t cancel fourteen digits in Σt².
 */
import { SpiegelError } from '../../errors.ts';

export interface GrowthStats {
  /** Fixed-effect design column names; columns[0] must be '(Intercept)'. */
  columns: string[];
  response: string;
  /** q = columns.length + 1 (the response is the last column of w). */
  q: number;
  nObs: number;
  therapistIds: string[];
  patientIds: string[];
  /** Therapist index (into therapistIds) of each patient. */
  patientTherapist: Int32Array;
  /** Per patient: rows, Σt, Σt². */
  n: Float64Array;
  st: Float64Array;
  stt: Float64Array;
  /** Per patient, row-major P×q: Σ(w − shift) and Σ t·(w − shift). */
  sw: Float64Array;
  stw: Float64Array;
  /** q×q: Σ (w − shift)(w − shift)ᵀ over all rows. */
  wtw: Float64Array;
  /** Shift subtracted from w (0 for the intercept). */
  shift: Float64Array;
  /** Shift subtracted from t in st, stt and stw (0 or absent: raw t). */
  tShift?: number;
}

/** One session row for `buildGrowthStats`. x is the fixed design row with x[0] = 1. */
export interface GrowthRow {
  therapist: string | number;
  patient: string | number;
  /** Random-slope covariate (e.g. session, or log(session + 1)); 0 without a random slope. */
  t: number;
  x: ArrayLike<number>;
  y: number;
}

/** Streaming accumulator: `add` each row, then `finish`. Memory is O(patients · q). */
export class GrowthStatsBuilder {
  readonly columns: string[];
  readonly response: string;
  private readonly q: number;
  private nObs = 0;
  private readonly therapistIndex = new Map<string, number>();
  private readonly patientIndex = new Map<string, number>();
  private readonly therapistIds: string[] = [];
  private readonly patientIds: string[] = [];
  private cap = 1024;
  private pt = new Int32Array(this.cap);
  private n = new Float64Array(this.cap);
  private st = new Float64Array(this.cap);
  private stt = new Float64Array(this.cap);
  private sw: Float64Array;
  private stw: Float64Array;
  private readonly wtw: Float64Array;
  private shift: Float64Array | null = null;
  private tShift = 0;
  private readonly w: Float64Array;
  // Rows usually arrive grouped by patient: remember the last one to skip the map lookups.
  private lastPatientKey: string | null = null;
  private lastTherapistKey: string | null = null;
  private lastPatient = -1;

  constructor(columns: string[], response: string) {
    if (columns[0] !== '(Intercept)') {
      throw new SpiegelError(
        'MODEL_FORMULA_INVALID',
        'the growth model needs an intercept as its first fixed-effect column',
        { columns },
      );
    }
    this.columns = columns;
    this.response = response;
    this.q = columns.length + 1;
    this.sw = new Float64Array(this.cap * this.q);
    this.stw = new Float64Array(this.cap * this.q);
    this.wtw = new Float64Array(this.q * this.q);
    this.w = new Float64Array(this.q);
  }

  add(therapist: string | number, patient: string | number, t: number, x: ArrayLike<number>, y: number): void {
    const q = this.q;
    const w = this.w;
    for (let k = 0; k < q - 1; k++) w[k] = x[k];
    w[q - 1] = y;
    if (w[0] !== 1)
      throw new SpiegelError('MODEL_DATA_INVALID', 'the first design column must be the intercept (1)', {
        x: Array.from(x),
      });
    for (let k = 0; k < q; k++) {
      if (!Number.isFinite(w[k]))
        throw new SpiegelError('MODEL_DATA_INVALID', `non-finite value in column '${this.nameOf(k)}'`, {
          row: this.nObs + 1,
        });
    }
    if (!Number.isFinite(t))
      throw new SpiegelError('MODEL_DATA_INVALID', 'non-finite random-slope covariate', { row: this.nObs + 1 });
    if (this.shift === null) {
      this.shift = Float64Array.from(w);
      this.shift[0] = 0;
      this.tShift = t;
    }
    const i = this.patientFor(String(therapist), String(patient));
    const sh = this.shift;
    for (let k = 1; k < q; k++) w[k] -= sh[k];
    t -= this.tShift;
    this.n[i] += 1;
    this.st[i] += t;
    this.stt[i] += t * t;
    const base = i * q;
    const sw = this.sw;
    const stw = this.stw;
    const wtw = this.wtw;
    for (let k = 0; k < q; k++) {
      const wk = w[k];
      sw[base + k] += wk;
      stw[base + k] += t * wk;
      const row = k * q;
      for (let l = 0; l <= k; l++) wtw[row + l] += wk * w[l];
    }
    this.nObs++;
  }

  finish(): GrowthStats {
    const q = this.q;
    const P = this.patientIds.length;
    const wtw = Float64Array.from(this.wtw);
    for (let k = 0; k < q; k++) for (let l = k + 1; l < q; l++) wtw[k * q + l] = wtw[l * q + k];
    return {
      columns: this.columns,
      response: this.response,
      q,
      nObs: this.nObs,
      therapistIds: this.therapistIds,
      patientIds: this.patientIds,
      patientTherapist: this.pt.slice(0, P),
      n: this.n.slice(0, P),
      st: this.st.slice(0, P),
      stt: this.stt.slice(0, P),
      sw: this.sw.slice(0, P * q),
      stw: this.stw.slice(0, P * q),
      wtw,
      shift: this.shift ?? new Float64Array(q),
      tShift: this.tShift,
    };
  }

  private nameOf(k: number): string {
    return k < this.q - 1 ? this.columns[k] : this.response;
  }

  private patientFor(therapistKey: string, patientKey: string): number {
    if (patientKey === this.lastPatientKey && therapistKey === this.lastTherapistKey) return this.lastPatient;
    let j = this.therapistIndex.get(therapistKey);
    if (j === undefined) {
      j = this.therapistIds.length;
      this.therapistIndex.set(therapistKey, j);
      this.therapistIds.push(therapistKey);
    }
    let i = this.patientIndex.get(patientKey);
    if (i === undefined) {
      i = this.patientIds.length;
      if (i === this.cap) this.grow();
      this.patientIndex.set(patientKey, i);
      this.patientIds.push(patientKey);
      this.pt[i] = j;
    } else this.checkNesting(i, j, patientKey);
    this.lastPatientKey = patientKey;
    this.lastTherapistKey = therapistKey;
    this.lastPatient = i;
    return i;
  }

  private checkNesting(i: number, j: number, patientKey: string): void {
    if (this.pt[i] !== j) {
      throw new SpiegelError(
        'MODEL_DATA_INVALID',
        `patient '${patientKey}' appears under therapists '${this.therapistIds[this.pt[i]]}' and '${this.therapistIds[j]}': a crossed design, which is not supported (patients must be nested in therapists). If patient ids restart within each therapist, write (1 | therapist/patient) or (… | therapist:patient) + (1 | therapist)`,
        { patient: patientKey },
      );
    }
  }

  private grow(): void {
    const cap = this.cap * 2;
    const q = this.q;
    const g = <T extends Float64Array | Int32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.pt = g(this.pt, cap);
    this.n = g(this.n, cap);
    this.st = g(this.st, cap);
    this.stt = g(this.stt, cap);
    this.sw = g(this.sw, cap * q);
    this.stw = g(this.stw, cap * q);
    this.cap = cap;
  }
}

/** Builds the statistics from rows (any iterable, so a generator can stream them). */
export function buildGrowthStats(rows: Iterable<GrowthRow>, columns: string[], response: string): GrowthStats {
  const b = new GrowthStatsBuilder(columns, response);
  for (const r of rows) b.add(r.therapist, r.patient, r.t, r.x, r.y);
  return b.finish();
}

/**
 * Moves the shift to the grand mean of every non-intercept column (exact algebra on the sums), so
 * the cross-products the criterion subtracts from Σwwᵀ are as small as the data allow.
 */
export function centreGrowthStats(s: GrowthStats): GrowthStats {
  const { q, nObs } = s;
  const P = s.n.length;
  const tot = new Float64Array(q);
  for (let i = 0; i < P; i++) for (let k = 0; k < q; k++) tot[k] += s.sw[i * q + k];
  const a = new Float64Array(q);
  for (let k = 1; k < q; k++) a[k] = tot[k] / nObs;
  const sw = Float64Array.from(s.sw);
  const stw = Float64Array.from(s.stw);
  for (let i = 0; i < P; i++) {
    const ni = s.n[i];
    const sti = s.st[i];
    for (let k = 1; k < q; k++) {
      sw[i * q + k] -= ni * a[k];
      stw[i * q + k] -= sti * a[k];
    }
  }
  // Σ(w−a)(w−a)ᵀ = Σwwᵀ − a·totᵀ − tot·aᵀ + N·a·aᵀ
  const wtw = Float64Array.from(s.wtw);
  for (let k = 0; k < q; k++) {
    for (let l = 0; l < q; l++) wtw[k * q + l] += -a[k] * tot[l] - tot[k] * a[l] + nObs * a[k] * a[l];
  }
  const shift = Float64Array.from(s.shift);
  for (let k = 1; k < q; k++) shift[k] += a[k];
  // Then t to its grand mean d: Σ(t−d) = Σt − n·d, Σ(t−d)² = Σt² − 2dΣt + n·d², Σ(t−d)w = Σtw − d·Σw.
  let stTot = 0;
  for (let i = 0; i < P; i++) stTot += s.st[i];
  const d = stTot / nObs;
  const st = Float64Array.from(s.st);
  const stt = Float64Array.from(s.stt);
  for (let i = 0; i < P; i++) {
    const ni = s.n[i];
    stt[i] = s.stt[i] - 2 * d * s.st[i] + ni * d * d;
    st[i] = s.st[i] - ni * d;
    for (let k = 0; k < q; k++) stw[i * q + k] -= d * sw[i * q + k];
  }
  return { ...s, st, stt, sw, stw, wtw, shift, tShift: (s.tShift ?? 0) + d };
}

/** Per-patient sums as a SQL `GROUP BY patient` returns them (w = [x, y] minus `shift`). */
export interface PatientSums {
  therapist: string | number;
  patient: string | number;
  n: number;
  st: number;
  stt: number;
  sw: ArrayLike<number>;
  stw: ArrayLike<number>;
}

/**
 * Assembles GrowthStats from per-patient sums and the global Σ(w − shift)(w − shift)ᵀ. Give the
 * shift the query subtracted (a rough mean per column, 0 for the intercept): sums of raw values
 * lose digits when a column's mean is large relative to its spread.
 */
export function growthStatsFromSums(input: {
  columns: string[];
  response: string;
  patients: Iterable<PatientSums>;
  wtw: ArrayLike<number>;
  shift?: ArrayLike<number>;
  /** Shift the query subtracted from t in st, stt and stw (default 0). */
  tShift?: number;
}): GrowthStats {
  const q = input.columns.length + 1;
  if (input.columns[0] !== '(Intercept)')
    throw new SpiegelError('MODEL_FORMULA_INVALID', "the first fixed-effect column must be '(Intercept)'", {});
  if (input.wtw.length !== q * q)
    throw new SpiegelError('MODEL_DATA_INVALID', `wtw must have ${q * q} entries (q = ${q})`, {});
  const shift = Float64Array.from(input.shift ?? new Float64Array(q));
  if (shift.length !== q || shift[0] !== 0)
    throw new SpiegelError('MODEL_DATA_INVALID', `shift must have ${q} entries with 0 for the intercept`, {});
  const ps = [...input.patients];
  const P = ps.length;
  const therapistIndex = new Map<string, number>();
  const therapistIds: string[] = [];
  const patientIds: string[] = [];
  const seen = new Set<string>();
  const out = {
    pt: new Int32Array(P),
    n: new Float64Array(P),
    st: new Float64Array(P),
    stt: new Float64Array(P),
    sw: new Float64Array(P * q),
    stw: new Float64Array(P * q),
  };
  let nObs = 0;
  ps.forEach((p, i) => {
    const tk = String(p.therapist);
    const pk = String(p.patient);
    if (seen.has(pk))
      throw new SpiegelError('MODEL_DATA_INVALID', `patient '${pk}' occurs twice; give one row per patient`, {
        patient: pk,
      });
    seen.add(pk);
    let j = therapistIndex.get(tk);
    if (j === undefined) {
      j = therapistIds.length;
      therapistIndex.set(tk, j);
      therapistIds.push(tk);
    }
    if (p.sw.length !== q || p.stw.length !== q)
      throw new SpiegelError('MODEL_DATA_INVALID', `patient '${pk}': sw and stw must have ${q} entries`, {
        patient: pk,
      });
    if (!(p.n > 0))
      throw new SpiegelError('MODEL_DATA_INVALID', `patient '${pk}': n must be positive`, { patient: pk });
    patientIds.push(pk);
    out.pt[i] = j;
    out.n[i] = p.n;
    out.st[i] = p.st;
    out.stt[i] = p.stt;
    for (let k = 0; k < q; k++) {
      out.sw[i * q + k] = p.sw[k];
      out.stw[i * q + k] = p.stw[k];
    }
    nObs += p.n;
  });
  return {
    columns: input.columns,
    response: input.response,
    q,
    nObs,
    therapistIds,
    patientIds,
    patientTherapist: out.pt,
    n: out.n,
    st: out.st,
    stt: out.stt,
    sw: out.sw,
    stw: out.stw,
    wtw: Float64Array.from(input.wtw),
    shift,
    tShift: input.tShift ?? 0,
  };
}

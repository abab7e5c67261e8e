/**
 * Small dense linear algebra on row-major Float64Arrays. The matrices here are at most a few dozen
 * rows (fixed-effect columns plus the response), so plain loops beat any library.
 */

/** Index of element (i, j) in a row-major n×n matrix. */
export const at = (n: number, i: number, j: number): number => i * n + j;

/**
 * In-place lower Cholesky factor of the leading `m`×`m` block of a symmetric n×n matrix (m ≤ n;
 * only the lower triangle is read). Returns false when a pivot is not positive, or falls below
 * `relTol` times the original diagonal (numerically singular).
 */
export function cholesky(a: Float64Array, n: number, m = n, relTol = 0): boolean {
  for (let j = 0; j < m; j++) {
    const jj = j * n + j;
    const orig = a[jj];
    let d = orig;
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0) || d <= relTol * Math.abs(orig)) return false;
    const ljj = Math.sqrt(d);
    a[jj] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L·x = b in place (L lower triangular, leading m×m block of an n×n array). */
export function forwardSolve(l: Float64Array, n: number, m: number, b: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** Solves Lᵀ·x = b in place. */
export function backSolveT(l: Float64Array, n: number, m: number, b: Float64Array): void {
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < m; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** (L·Lᵀ)⁻¹ for the leading m×m block of a Cholesky factor; returns a dense m×m matrix. */
export function cholInverse(l: Float64Array, n: number, m: number): Float64Array {
  const inv = new Float64Array(m * m);
  const col = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    col.fill(0);
    col[j] = 1;
    forwardSolve(l, n, m, col);
    backSolveT(l, n, m, col);
    for (let i = 0; i < m; i++) inv[i * m + j] = col[i];
  }
  return inv;
}

/** Symmetric eigenvalues of a small matrix by cyclic Jacobi (for diagnostics only). */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): number[] {
  const m = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const tau = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p];
          const akq = m[k * n + q];
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k];
          const aqk = m[q * n + k];
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(m[i * n + i]);
  return out.sort((x, y) => x - y);
}

/**
 * Multinomial logistic regression on sparse features, trained by full-batch L-BFGS.
 * Deterministic: no sampling, the same data in the same order give the same weights.
 */

export interface Matrix {
  /** CSR rows. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  rows: number;
}

export function buildMatrix(rows: { idx: Int32Array; val: Float32Array; n: number }[]): Matrix {
  let nnz = 0;
  for (const r of rows) nnz += r.n;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  rows.forEach((r, i) => {
    indices.set(r.idx.subarray(0, r.n), p);
    values.set(r.val.subarray(0, r.n), p);
    p += r.n;
    indptr[i + 1] = p;
  });
  return { indptr, indices, values, rows: rows.length };
}

export interface TrainOptions {
  K: number;
  /** Number of feature buckets (2^bits). */
  D: number;
  l2: number;
  maxIter: number;
  tolerance?: number;
  log?: (msg: string) => void;
}

export interface LinearWeights {
  /** D*K, bucket-major. */
  W: Float64Array;
  b: Float64Array;
}

/**
 * Minimises  sum_i s_i * CE(softmax(W x_i + b), y_i) / sum_i s_i  +  l2/2 * |W|^2.
 * Only buckets that occur in the data are optimised (the others stay 0).
 */
export function trainLogReg(X: Matrix, y: Int32Array, s: Float64Array, opt: TrainOptions): LinearWeights {
  const { K, D } = opt;
  // Compact the used buckets.
  const map = new Int32Array(D).fill(-1);
  let used = 0;
  for (let p = 0; p < X.indices.length; p++) {
    const j = X.indices[p] as number;
    if (map[j] === -1) map[j] = used++;
  }
  const cidx = new Int32Array(X.indices.length);
  for (let p = 0; p < X.indices.length; p++) cidx[p] = map[X.indices[p] as number] as number;
  const P = used * K + K;
  let sw = 0;
  for (const v of s) sw += v;

  const probs = new Float64Array(K);
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const bOff = used * K;
    for (let i = 0; i < X.rows; i++) {
      const a = X.indptr[i] as number;
      const e = X.indptr[i + 1] as number;
      for (let k = 0; k < K; k++) probs[k] = theta[bOff + k] as number;
      for (let p = a; p < e; p++) {
        const base = (cidx[p] as number) * K;
        const v = X.values[p] as number;
        for (let k = 0; k < K; k++) probs[k] = (probs[k] as number) + (theta[base + k] as number) * v;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if ((probs[k] as number) > max) max = probs[k] as number;
      let z = 0;
      for (let k = 0; k < K; k++) {
        const ex = Math.exp((probs[k] as number) - max);
        probs[k] = ex;
        z += ex;
      }
      const yi = y[i] as number;
      const wi = (s[i] as number) / sw;
      loss -= wi * (Math.log(probs[yi] as number) - Math.log(z));
      for (let k = 0; k < K; k++) probs[k] = (((probs[k] as number) / z) - (k === yi ? 1 : 0)) * wi;
      for (let p = a; p < e; p++) {
        const base = (cidx[p] as number) * K;
        const v = X.values[p] as number;
        for (let k = 0; k < K; k++) grad[base + k] = (grad[base + k] as number) + (probs[k] as number) * v;
      }
      for (let k = 0; k < K; k++) grad[bOff + k] = (grad[bOff + k] as number) + (probs[k] as number);
    }
    let reg = 0;
    for (let j = 0; j < bOff; j++) {
      const t = theta[j] as number;
      reg += t * t;
      grad[j] = (grad[j] as number) + opt.l2 * t;
    }
    return loss + 0.5 * opt.l2 * reg;
  };

  const theta = lbfgs(evaluate, new Float64Array(P), opt.maxIter, opt.tolerance ?? 1e-6, opt.log);
  const W = new Float64Array(D * K);
  for (let j = 0; j < D; j++) {
    const c = map[j] as number;
    if (c >= 0) for (let k = 0; k < K; k++) W[j * K + k] = theta[c * K + k] as number;
  }
  return { W, b: theta.slice(used * K) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function lbfgs(
  f: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  maxIter: number,
  tol: number,
  log?: (msg: string) => void,
  m = 7,
): Float64Array {
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion.
    d.set(g);
    const alpha: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const a = (rho[i] as number) * dot(S[i] as Float64Array, d);
      alpha[i] = a;
      const yi = Y[i] as Float64Array;
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) - a * (yi[j] as number);
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array);
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) * gamma;
    }
    for (let i = 0; i < S.length; i++) {
      const b = (rho[i] as number) * dot(Y[i] as Float64Array, d);
      const si = S[i] as Float64Array;
      const a = alpha[i] as number;
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) + (a - b) * (si[j] as number);
    }
    for (let j = 0; j < n; j++) d[j] = -(d[j] as number);
    let gd = dot(g, d);
    if (gd >= 0) {
      // Not a descent direction: restart from steepest descent.
      for (let j = 0; j < n; j++) d[j] = -(g[j] as number);
      gd = dot(g, d);
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
    }
    let step = it === 0 ? 1 / Math.sqrt(dot(g, g)) : 1;
    let fNew = 0;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let j = 0; j < n; j++) xNew[j] = (x[j] as number) + step * (d[j] as number);
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * gd) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) break;
    const sVec = new Float64Array(n);
    const yVec = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      sVec[j] = (xNew[j] as number) - (x[j] as number);
      yVec[j] = (gNew[j] as number) - (g[j] as number);
    }
    const sy = dot(sVec, yVec);
    if (sy > 1e-12) {
      S.push(sVec);
      Y.push(yVec);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const rel = Math.abs(fx - fNew) / Math.max(1, Math.abs(fx));
    x = xNew.slice();
    const tmp = g;
    g = gNew;
    gNew = tmp;
    fx = fNew;
    if (log && (it % 25 === 0 || it === maxIter - 1)) log(`  iter ${it} loss ${fx.toFixed(5)}`);
    if (rel < tol) break;
  }
  return x;
}

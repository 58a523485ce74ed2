// Implicit-feedback matrix factorisation (Hu, Koren, Volinsky 2008, "Collaborative Filtering for
// Implicit Feedback Datasets"): every (player, item) cell has preference 1 if observed, else 0, weighted
// by confidence c = 1 + alpha * strength, where strength is the player's decayed interaction weight.
// Alternating least squares; each half-step solves one k×k system per row with a few conjugate-gradient
// steps, warm-started from the previous iteration (Takács, Pilászy, Tikk 2011), so a sweep costs
// O(nnz·k·steps + rows·k²) and never forms a per-row matrix. Pure: no I/O.
import { dot, gram, rng, solveSpd } from "./linalg";

export interface AlsParams {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly cgSteps: number;
  readonly seed: number;
}

export const ALS_DEFAULTS: AlsParams = { factors: 32, regularization: 0.05, alpha: 10, iterations: 12, cgSteps: 3, seed: 42 };

/** Observed cells in coordinate form: row = player index, col = item index. */
export interface Cells {
  readonly players: number;
  readonly items: number;
  readonly player: Int32Array;
  readonly item: Int32Array;
  readonly strength: Float32Array;
}

export interface FactorModel {
  readonly k: number;
  /** items × k, row-major. */
  readonly itemFactors: Float32Array;
  /** players × k, row-major (the last user step of the sweep). */
  readonly playerFactors: Float32Array;
  /** YᵀY of the item factors (without regularisation): the shared term of every player solve. */
  readonly itemGram: Float64Array;
}

interface Csr {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly conf: Float32Array;
}

function csr(rows: number, rowOf: Int32Array, colOf: Int32Array, strength: Float32Array, alpha: number): Csr {
  const indptr = new Int32Array(rows + 1);
  for (let n = 0; n < rowOf.length; n++) indptr[rowOf[n] + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  const next = indptr.slice(0, rows);
  const indices = new Int32Array(rowOf.length);
  const conf = new Float32Array(rowOf.length);
  for (let n = 0; n < rowOf.length; n++) {
    const at = next[rowOf[n]]++;
    indices[at] = colOf[n];
    conf[at] = 1 + alpha * strength[n];
  }
  return { indptr, indices, conf };
}

/** One half-step: re-solves every row of `x` against the fixed factors `y`. */
function halfStep(x: Float64Array, y: Float64Array, yRows: number, m: Csr, k: number, p: AlsParams): void {
  const yty = gram(y, yRows, k);
  for (let i = 0; i < k; i++) yty[i * k + i] += p.regularization;
  const r = new Float64Array(k);
  const d = new Float64Array(k);
  const ad = new Float64Array(k);
  const rows = m.indptr.length - 1;
  for (let u = 0; u < rows; u++) {
    const o = u * k;
    const start = m.indptr[u];
    const end = m.indptr[u + 1];
    // r = b - A x, with A = YᵀY + λI + Σ (c-1) y yᵀ and b = Σ c y, without forming A.
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s -= yty[i * k + j] * x[o + j];
      r[i] = s;
    }
    for (let n = start; n < end; n++) {
      const yo = m.indices[n] * k;
      const c = m.conf[n];
      let yx = 0;
      for (let j = 0; j < k; j++) yx += y[yo + j] * x[o + j];
      const w = c - (c - 1) * yx;
      for (let j = 0; j < k; j++) r[j] += w * y[yo + j];
    }
    d.set(r);
    let rsOld = dot(r, r);
    for (let step = 0; step < p.cgSteps && rsOld > 1e-20; step++) {
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += yty[i * k + j] * d[j];
        ad[i] = s;
      }
      for (let n = start; n < end; n++) {
        const yo = m.indices[n] * k;
        let yd = 0;
        for (let j = 0; j < k; j++) yd += y[yo + j] * d[j];
        const w = (m.conf[n] - 1) * yd;
        for (let j = 0; j < k; j++) ad[j] += w * y[yo + j];
      }
      const a = rsOld / dot(d, ad);
      for (let j = 0; j < k; j++) {
        x[o + j] += a * d[j];
        r[j] -= a * ad[j];
      }
      const rsNew = dot(r, r);
      for (let j = 0; j < k; j++) d[j] = r[j] + (rsNew / rsOld) * d[j];
      rsOld = rsNew;
    }
  }
}

export function trainAls(cells: Cells, p: AlsParams = ALS_DEFAULTS): FactorModel {
  const k = p.factors;
  const rand = rng(p.seed);
  const init = (n: number) => Float64Array.from({ length: n * k }, () => (rand() - 0.5) * 0.02);
  const x = init(cells.players);
  const y = init(cells.items);
  const byPlayer = csr(cells.players, cells.player, cells.item, cells.strength, p.alpha);
  const byItem = csr(cells.items, cells.item, cells.player, cells.strength, p.alpha);
  for (let it = 0; it < p.iterations; it++) {
    halfStep(x, y, cells.items, byPlayer, k, p);
    halfStep(y, x, cells.players, byItem, k, p);
  }
  const itemFactors = Float32Array.from(y);
  return { k, itemFactors, playerFactors: Float32Array.from(x), itemGram: gram(itemFactors, cells.items, k) };
}

/** One observed item of a player: its factors and the player's decayed strength for it. */
export interface Observed {
  readonly vector: ArrayLike<number>;
  readonly strength: number;
}

/**
 * The player step of ALS solved exactly (Cholesky) for one player against fixed item factors:
 * how a player who was not in the training set, or whose interactions changed since, gets a vector
 * in the model's space. Training publishes every player through this same function.
 */
export function foldIn(itemGram: Float64Array, k: number, p: Pick<AlsParams, "regularization" | "alpha">, observed: readonly Observed[]): Float32Array {
  const a = new Float64Array(itemGram);
  for (let i = 0; i < k; i++) a[i * k + i] += p.regularization;
  const b = new Float64Array(k);
  for (const o of observed) {
    const c = 1 + p.alpha * o.strength;
    const v = o.vector;
    for (let i = 0; i < k; i++) {
      b[i] += c * v[i];
      const w = (c - 1) * v[i];
      if (w === 0) continue;
      for (let j = 0; j < k; j++) a[i * k + j] += w * v[j];
    }
  }
  return Float32Array.from(solveSpd(a, b, k));
}

// The vector-store interface the service and the trainer use. Two implementations: Qdrant (the
// cluster, through @qdrant/js-client-rest) and an embedded exact scan (the local default, where no
// Qdrant server can run). Shapes follow Qdrant's REST API so the embedded one means the same thing.

export type Distance = "Dot" | "Cosine";
/** Qdrant point ids are unsigned integers or UUIDs; ours are UUIDs derived from names (ids.ts). */
export type PointId = string;
export type PayloadValue = string | number | boolean | readonly string[];
export type Payload = Readonly<Record<string, PayloadValue>>;

export interface Point {
  readonly id: PointId;
  readonly vector: ArrayLike<number>;
  readonly payload: Payload;
}

/** Qdrant's `match`: `value` equals (any element, for arrays), `any` equals one of. */
export type Condition = { readonly key: string; readonly match: { readonly value: string | number | boolean } | { readonly any: readonly string[] } };

export interface Filter {
  readonly must?: readonly Condition[];
  readonly must_not?: readonly Condition[];
}

export interface Hit {
  readonly id: PointId;
  readonly score: number;
  readonly payload: Payload;
}

export interface StoredPoint {
  readonly id: PointId;
  readonly payload: Payload;
  readonly vector?: Float32Array;
}

export interface RecommendQuery {
  /** Example points to move towards (Qdrant: `average_vector` strategy). */
  readonly positive: readonly PointId[];
  readonly negative: readonly PointId[];
  readonly filter: Filter;
  readonly limit: number;
}

/** A missing example point (a player with no vector in this version) is an answer, not a failure. */
export type RecommendResult = { readonly kind: "ok"; readonly hits: readonly Hit[] } | { readonly kind: "missing_example"; readonly id: PointId };

export interface VectorStore {
  readonly kind: "embedded" | "qdrant";
  createCollection(name: string, size: number, distance: Distance): Promise<void>;
  /** A keyword index on a payload field (Qdrant filters on it without a full scan). */
  createKeywordIndex(collection: string, field: string): Promise<void>;
  upsert(collection: string, points: readonly Point[]): Promise<void>;
  retrieve(collection: string, ids: readonly PointId[], withVector: boolean): Promise<StoredPoint[]>;
  deletePoints(collection: string, ids: readonly PointId[]): Promise<void>;
  recommend(collection: string, q: RecommendQuery): Promise<RecommendResult>;
  /** Points `alias` at `collection` in one atomic step (delete + create), so readers see old or new, never neither. */
  swapAlias(alias: string, collection: string): Promise<void>;
  aliasTarget(alias: string): Promise<string | null>;
  listCollections(): Promise<string[]>;
  deleteCollection(name: string): Promise<void>;
}

/** The query vector of Qdrant's `average_vector`: avg(pos) with no negatives, else avg(pos) + (avg(pos) - avg(neg)). */
export function averageVector(positive: readonly ArrayLike<number>[], negative: readonly ArrayLike<number>[], size: number): Float64Array {
  const avg = (vs: readonly ArrayLike<number>[]) => {
    const out = new Float64Array(size);
    for (const v of vs) for (let i = 0; i < size; i++) out[i] += v[i] / vs.length;
    return out;
  };
  const pos = avg(positive);
  if (negative.length === 0) return pos;
  const neg = avg(negative);
  return pos.map((p, i) => 2 * p - neg[i]);
}

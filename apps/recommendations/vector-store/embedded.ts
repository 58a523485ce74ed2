// The embedded vector store: collections in this process's memory, searched by an exact scan.
// At 10k items × 32 dimensions a scan of one game's items is a few hundred thousand multiply-adds
// (well under a millisecond), so an approximate index would buy nothing measurable here; bench/recommendations.ts
// measures it. Semantics follow Qdrant's: Cosine normalises vectors on upsert, Dot does not; recommend
// excludes its example points from the results; filters match as Qdrant's `match` does.
import { dot } from "../model/linalg";
import { averageVector, type Condition, type Distance, type Filter, type Hit, type Payload, type Point, type PointId, type RecommendQuery, type RecommendResult, type StoredPoint, type VectorStore } from "./types";

interface Stored {
  readonly id: PointId;
  readonly vector: Float32Array;
  readonly payload: Payload;
}

interface Collection {
  readonly size: number;
  readonly distance: Distance;
  readonly points: Map<PointId, Stored>;
  /** Keyword-indexed fields: value → points, so the scan visits only points that can match (by reference: no id lookups). */
  readonly indexes: Map<string, Map<string, Set<Stored>>>;
}

/** One condition as a predicate; `any` lists become Sets once per query (exclusion lists can be long). */
function compileCondition(c: Condition): (payload: Payload) => boolean {
  const key = c.key;
  if ("value" in c.match) {
    const want = c.match.value;
    return (p) => {
      const v = p[key];
      return Array.isArray(v) ? v.includes(want as string) : v === want;
    };
  }
  const any = new Set(c.match.any);
  return (p) => {
    const v = p[key];
    if (v === undefined) return false;
    return Array.isArray(v) ? v.some((x) => any.has(x)) : any.has(String(v));
  };
}

/** Qdrant's filter semantics: every `must` matches and no `must_not` does. */
export function compileFilter(f: Filter): (payload: Payload) => boolean {
  const must = (f.must ?? []).map(compileCondition);
  const mustNot = (f.must_not ?? []).map(compileCondition);
  return (p) => must.every((m) => m(p)) && !mustNot.some((m) => m(p));
}

export const passes = (payload: Payload, f: Filter): boolean => compileFilter(f)(payload);

function indexKeys(v: Payload[string] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Bounded top-k by score, kept sorted descending (k is small: a result page). */
export function pushTop(top: Hit[], hit: Hit, k: number): void {
  if (top.length === k && hit.score <= top[k - 1].score) return;
  let i = top.length < k ? top.length : k - 1;
  if (top.length < k) top.push(hit);
  while (i > 0 && top[i - 1].score < hit.score) {
    top[i] = top[i - 1];
    i--;
  }
  top[i] = hit;
}

export class EmbeddedStore implements VectorStore {
  readonly kind = "embedded" as const;
  private readonly collections = new Map<string, Collection>();
  private readonly aliases = new Map<string, string>();

  private get(name: string): Collection {
    const c = this.collections.get(this.aliases.get(name) ?? name);
    if (c === undefined) throw new Error(`collection "${name}" does not exist`);
    return c;
  }

  async createCollection(name: string, size: number, distance: Distance): Promise<void> {
    if (this.collections.has(name)) throw new Error(`collection "${name}" already exists`);
    this.collections.set(name, { size, distance, points: new Map(), indexes: new Map() });
  }

  async createKeywordIndex(collection: string, field: string): Promise<void> {
    const c = this.get(collection);
    const index = new Map<string, Set<Stored>>();
    for (const p of c.points.values()) for (const k of indexKeys(p.payload[field])) (index.get(k) ?? index.set(k, new Set()).get(k)!).add(p);
    c.indexes.set(field, index);
  }

  async upsert(collection: string, points: readonly Point[]): Promise<void> {
    const c = this.get(collection);
    for (const p of points) {
      if (p.vector.length !== c.size) throw new Error(`point ${p.id}: vector of size ${p.vector.length}, collection "${collection}" has size ${c.size}`);
      const v = Float32Array.from(p.vector);
      if (c.distance === "Cosine") {
        const n = Math.sqrt(dot(v, v));
        if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
      }
      this.unindex(c, p.id);
      const stored: Stored = { id: p.id, vector: v, payload: p.payload };
      c.points.set(p.id, stored);
      for (const [field, index] of c.indexes) for (const k of indexKeys(p.payload[field])) (index.get(k) ?? index.set(k, new Set()).get(k)!).add(stored);
    }
  }

  private unindex(c: Collection, id: PointId): void {
    const old = c.points.get(id);
    if (old === undefined) return;
    for (const [field, index] of c.indexes) for (const k of indexKeys(old.payload[field])) index.get(k)?.delete(old);
  }

  async retrieve(collection: string, ids: readonly PointId[], withVector: boolean): Promise<StoredPoint[]> {
    const c = this.get(collection);
    return ids.flatMap((id) => {
      const p = c.points.get(id);
      return p === undefined ? [] : [{ id, payload: p.payload, ...(withVector ? { vector: p.vector } : {}) }];
    });
  }

  async deletePoints(collection: string, ids: readonly PointId[]): Promise<void> {
    const c = this.get(collection);
    for (const id of ids) {
      this.unindex(c, id);
      c.points.delete(id);
    }
  }

  /** The smallest indexed candidate set among the filter's `must` conditions, or every point. */
  private candidates(c: Collection, f: Filter): Iterable<Stored> {
    let best: Set<Stored> | undefined;
    for (const cond of f.must ?? []) {
      const index = c.indexes.get(cond.key);
      if (index === undefined || !("value" in cond.match)) continue;
      const points = index.get(String(cond.match.value)) ?? new Set<Stored>();
      if (best === undefined || points.size < best.size) best = points;
    }
    return best ?? c.points.values();
  }

  async recommend(collection: string, q: RecommendQuery): Promise<RecommendResult> {
    const c = this.get(collection);
    const examples = (ids: readonly PointId[]) => ids.map((id) => ({ id, p: c.points.get(id) }));
    const pos = examples(q.positive);
    const neg = examples(q.negative);
    const missing = [...pos, ...neg].find((e) => e.p === undefined);
    if (missing !== undefined) return { kind: "missing_example", id: missing.id };
    const query = averageVector(pos.map((e) => e.p!.vector), neg.map((e) => e.p!.vector), c.size);
    if (c.distance === "Cosine") {
      const n = Math.sqrt(dot(query, query));
      if (n > 0) for (let i = 0; i < query.length; i++) query[i] /= n;
    }
    const skip = new Set([...q.positive, ...q.negative]);
    const keep = compileFilter(q.filter);
    const top: Hit[] = [];
    for (const p of this.candidates(c, q.filter)) {
      if (skip.has(p.id) || !keep(p.payload)) continue;
      const score = dot(query, p.vector, c.size);
      if (top.length < q.limit || score > top[top.length - 1].score) pushTop(top, { id: p.id, score, payload: p.payload }, q.limit);
    }
    return { kind: "ok", hits: top };
  }

  async swapAlias(alias: string, collection: string): Promise<void> {
    if (!this.collections.has(collection)) throw new Error(`collection "${collection}" does not exist`);
    this.aliases.set(alias, collection);
  }

  async aliasTarget(alias: string): Promise<string | null> {
    return this.aliases.get(alias) ?? null;
  }

  async listCollections(): Promise<string[]> {
    return [...this.collections.keys()];
  }

  async deleteCollection(name: string): Promise<void> {
    this.collections.delete(name);
    for (const [a, target] of this.aliases) if (target === name) this.aliases.delete(a);
  }
}

// The vector store in the cluster: Qdrant through its typed REST client (@qdrant/js-client-rest, kept on
// the server's minor version: the chart in infra/services/charts.ts). Recommendations use the Query API
// (POST /collections/{name}/points/query with `recommend`); aliases change through POST /collections/aliases.
import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import type { Distance, Filter, Point, PointId, RecommendQuery, RecommendResult, StoredPoint, VectorStore } from "./types";

/** Qdrant's answer when an example point of a recommend query does not exist: 404 "No point with id <id> found". */
function missingPoint(err: unknown): PointId | null {
  const e = err as { status?: number; data?: { status?: { error?: string } } };
  const m = e.status === 404 ? /No point with id ([0-9a-f-]+) found/.exec(e.data?.status?.error ?? "") : null;
  return m === null ? null : m[1];
}

function toFloat32(v: unknown): Float32Array | undefined {
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === "number") ? Float32Array.from(v as number[]) : undefined;
}

export interface QdrantOptions {
  readonly url: string;
  readonly apiKey?: string;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

export class QdrantStore implements VectorStore {
  readonly kind = "qdrant" as const;
  private readonly client: QdrantClient;

  constructor(o: QdrantOptions) {
    this.client = new QdrantClient({ url: o.url, apiKey: o.apiKey, timeout: o.timeoutMs ?? 10_000, checkCompatibility: false });
  }

  async createCollection(name: string, size: number, distance: Distance): Promise<void> {
    await this.client.createCollection(name, { vectors: { size, distance } });
  }

  async createKeywordIndex(collection: string, field: string): Promise<void> {
    await this.client.createPayloadIndex(collection, { field_name: field, field_schema: "keyword", wait: true });
  }

  async upsert(collection: string, points: readonly Point[]): Promise<void> {
    if (points.length === 0) return;
    await this.client.upsert(collection, {
      wait: true,
      points: points.map((p) => ({ id: p.id, vector: Array.from(p.vector), payload: { ...p.payload } })),
    });
  }

  async retrieve(collection: string, ids: readonly PointId[], withVector: boolean): Promise<StoredPoint[]> {
    if (ids.length === 0) return [];
    const records = await this.client.retrieve(collection, { ids: [...ids], with_payload: true, with_vector: withVector });
    return records.map((r) => ({ id: String(r.id), payload: (r.payload ?? {}) as StoredPoint["payload"], ...(withVector ? { vector: toFloat32(r.vector) } : {}) }));
  }

  async deletePoints(collection: string, ids: readonly PointId[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.delete(collection, { wait: true, points: [...ids] });
  }

  async recommend(collection: string, q: RecommendQuery): Promise<RecommendResult> {
    try {
      const r = await this.client.query(collection, {
        query: { recommend: { positive: [...q.positive], negative: [...q.negative], strategy: "average_vector" } },
        filter: q.filter as Filter as Schemas["Filter"],
        limit: q.limit,
        with_payload: true,
      });
      return { kind: "ok", hits: r.points.map((p) => ({ id: String(p.id), score: p.score, payload: (p.payload ?? {}) as StoredPoint["payload"] })) };
    } catch (err) {
      const id = missingPoint(err);
      if (id !== null) return { kind: "missing_example", id };
      throw err;
    }
  }

  async swapAlias(alias: string, collection: string): Promise<void> {
    await this.client.updateCollectionAliases({
      actions: [{ delete_alias: { alias_name: alias } }, { create_alias: { alias_name: alias, collection_name: collection } }],
    });
  }

  async aliasTarget(alias: string): Promise<string | null> {
    const { aliases } = await this.client.getAliases();
    return aliases.find((a) => a.alias_name === alias)?.collection_name ?? null;
  }

  async listCollections(): Promise<string[]> {
    return (await this.client.getCollections()).collections.map((c) => c.name);
  }

  async deleteCollection(name: string): Promise<void> {
    await this.client.deleteCollection(name);
  }
}

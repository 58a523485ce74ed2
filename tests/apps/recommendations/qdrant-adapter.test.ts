// The Qdrant adapter through the real typed client (@qdrant/js-client-rest) against a local HTTP server
// that records each request and answers in the response shapes of Qdrant's OpenAPI document (v1.16.3,
// docs/redoc/master/openapi.json: `{result, status: "ok", time}`; errors `{status: {error}, time}`).
// This is NOT a Qdrant: it checks the requests the adapter builds and how it reads the answers; vector
// search itself runs in Qdrant in the cluster (and, locally, in the embedded store).
import { createServer, type Server } from "node:http";
import { Pool } from "pg";
import { collectionOf, LIVE_ALIAS } from "../../../apps/recommendations/ids";
import { publish } from "../../../apps/recommendations/publish";
import { QdrantStore } from "../../../apps/recommendations/vector-store/qdrant";
import { scratchDatabase, type ScratchDb } from "../support/scratch-db";
import { buildGameModel } from "../../../apps/recommendations/game-model";
import { plantedDataset } from "../../../apps/recommendations/planted";
import { ALS_DEFAULTS } from "../../../apps/recommendations/model/als";
import { createModel, finishModel, writeGameModel } from "../../../apps/recommendations/model-store";

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey: string | undefined;
  body: unknown;
}

/** Records requests; answers from `respond`, or `{result: true}`. Keeps collection and alias names (no vectors). */
async function fakeQdrant(respond: (r: Recorded) => { status?: number; result?: unknown; error?: string } | undefined): Promise<{ url: string; requests: Recorded[]; collections: Set<string>; aliases: Map<string, string>; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const collections = new Set<string>();
  const aliases = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      const r: Recorded = { method: req.method ?? "", path: u.pathname, query: Object.fromEntries(u.searchParams), apiKey: req.headers["api-key"] as string | undefined, body: raw === "" ? undefined : JSON.parse(raw) };
      requests.push(r);
      const name = /^\/collections\/([^/]+)$/.exec(r.path)?.[1];
      let answer = respond(r);
      if (answer === undefined) {
        if (r.method === "PUT" && name !== undefined) collections.add(name);
        if (r.method === "DELETE" && name !== undefined) collections.delete(name);
        if (r.path === "/collections/aliases") {
          for (const a of (r.body as { actions: Record<string, { alias_name: string; collection_name?: string }>[] }).actions) {
            if (a.delete_alias !== undefined) aliases.delete(a.delete_alias.alias_name);
            if (a.create_alias !== undefined) aliases.set(a.create_alias.alias_name, a.create_alias.collection_name!);
          }
        }
        if (r.method === "GET" && r.path === "/collections") answer = { result: { collections: [...collections].map((n) => ({ name: n })) } };
        else if (r.method === "GET" && r.path === "/aliases") answer = { result: { aliases: [...aliases].map(([alias_name, collection_name]) => ({ alias_name, collection_name })) } };
        else if (/\/(points|index|points\/delete)$/.test(r.path) && r.method !== "POST") answer = { result: { operation_id: requests.length, status: "completed" } };
        else if (r.path.endsWith("/points/delete")) answer = { result: { operation_id: requests.length, status: "completed" } };
        else answer = { result: true };
      }
      const status = answer.status ?? 200;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { result: answer.result, status: "ok", time: 0.0001 } : { status: { error: answer.error }, time: 0.0001 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, requests, collections, aliases, close: () => new Promise((r) => server.close(() => r())) };
}

const POINT = "0b0c4a39-9a3e-8d6b-9e0f-6c3a9c0d1e2f";

describe("QdrantStore request shapes (a recording HTTP server, not a real Qdrant)", () => {
  it("queries with recommend (average_vector), the filter and the api-key; reads ScoredPoint results", async () => {
    const q = await fakeQdrant((r) =>
      r.path.endsWith("/points/query") ? { result: { points: [{ id: POINT, version: 3, score: 1.25, payload: { item: "sword", game: "g" } }] } } : undefined,
    );
    const store = new QdrantStore({ url: q.url, apiKey: "k3y" });
    const filter = { must: [{ key: "game", match: { value: "g" } }, { key: "platforms", match: { any: ["ios", "*"] } }], must_not: [{ key: "item", match: { any: ["shield"] } }] };
    const r = await store.recommend("recommendations_v1", { positive: [POINT], negative: [], filter, limit: 10 });
    expect(r).toEqual({ kind: "ok", hits: [{ id: POINT, score: 1.25, payload: { item: "sword", game: "g" } }] });
    const sent = q.requests.find((x) => x.path === "/collections/recommendations_v1/points/query")!;
    expect(sent.method).toBe("POST");
    expect(sent.apiKey).toBe("k3y");
    expect(sent.body).toEqual({ query: { recommend: { positive: [POINT], negative: [], strategy: "average_vector" } }, filter, limit: 10, with_payload: true });
    await q.close();
  });

  it("turns Qdrant's 404 'No point with id … found' into a missing example, and passes other errors on", async () => {
    const q = await fakeQdrant((r) => (r.path.endsWith("/points/query") ? { status: 404, error: `Not found: No point with id ${POINT} found` } : r.path === "/collections" ? { status: 500, error: "Service internal error: boom" } : undefined));
    const store = new QdrantStore({ url: q.url });
    expect(await store.recommend("c", { positive: [POINT], negative: [], filter: {}, limit: 5 })).toEqual({ kind: "missing_example", id: POINT });
    await expect(store.listCollections()).rejects.toThrow();
    await q.close();
  });

  it("creates a Dot collection, keyword indexes, upserts and retrieves points, deletes them", async () => {
    const q = await fakeQdrant((r) => (r.method === "POST" && r.path === "/collections/c/points" ? { result: [{ id: POINT, payload: { type: "player" }, vector: [0.5, -1] }] } : undefined));
    const store = new QdrantStore({ url: q.url });
    await store.createCollection("c", 2, "Dot");
    await store.createKeywordIndex("c", "game");
    await store.upsert("c", [{ id: POINT, vector: Float32Array.from([0.5, -1]), payload: { type: "player", game: "g" } }]);
    const got = await store.retrieve("c", [POINT], true);
    await store.deletePoints("c", [POINT]);
    expect(got).toEqual([{ id: POINT, payload: { type: "player" }, vector: Float32Array.from([0.5, -1]) }]);
    expect(q.requests.map((r) => [r.method, r.path, r.query.wait ?? null, r.body])).toEqual([
      ["PUT", "/collections/c", null, { vectors: { size: 2, distance: "Dot" } }],
      ["PUT", "/collections/c/index", "true", { field_name: "game", field_schema: "keyword" }],
      ["PUT", "/collections/c/points", "true", { points: [{ id: POINT, vector: [0.5, -1], payload: { type: "player", game: "g" } }] }],
      ["POST", "/collections/c/points", null, { ids: [POINT], with_payload: true, with_vector: true }],
      ["POST", "/collections/c/points/delete", "true", { points: [POINT] }],
    ]);
    await q.close();
  });
});

describe("publishing a version into Qdrant (recording server)", () => {
  let db: ScratchDb;
  let pool: Pool;
  beforeAll(async () => {
    db = await scratchDatabase("recs_qdrant");
    pool = db.pool;
  });
  afterAll(async () => db?.drop());

  it("fills a new collection completely, then swaps the alias in one atomic request, then drops the collection before the previous", async () => {
    const now = new Date();
    const policy = { halfLifeMs: 14 * 86_400_000, repeatableItemTypes: new Set<string>(), abandonAfterFails: 3 };
    const gm = buildGameModel("g", plantedDataset({ game: "g", players: 40, items: 12, segments: 3, perPlayer: 6, inGroup: 0.8, days: 5, now: now.getTime(), seed: 5 }).players, now.getTime(), policy, { ...ALS_DEFAULTS, factors: 4, minSupport: 2 });
    await createModel(pool, "v2", {}, now, now);
    await writeGameModel(pool, "v2", gm);
    await finishModel(pool, "v2", "ready", {});
    const q = await fakeQdrant(() => undefined);
    q.collections.add(collectionOf("v0")).add(collectionOf("v1")).add("someone_elses");
    q.aliases.set(LIVE_ALIAS, collectionOf("v1"));
    const report = await publish(new QdrantStore({ url: q.url }), pool, "v2");
    expect(report).toMatchObject({ collection: collectionOf("v2"), previous: "v1", items: gm.items.filter((i) => i.vector !== null).length, players: gm.players.length, dropped: [collectionOf("v0")] });
    const steps = q.requests.map((r) => `${r.method} ${r.path}`);
    const swap = steps.indexOf("POST /collections/aliases");
    // Every write to the new collection happens before the swap; the swap is one request with both actions.
    expect(steps.slice(swap + 1).some((st) => st.includes(collectionOf("v2")))).toBe(false);
    expect(q.requests[swap].body).toEqual({ actions: [{ delete_alias: { alias_name: LIVE_ALIAS } }, { create_alias: { alias_name: LIVE_ALIAS, collection_name: collectionOf("v2") } }] });
    expect(steps.filter((st) => st === `PUT /collections/${collectionOf("v2")}/index`)).toHaveLength(5);
    expect(steps).toContain(`DELETE /collections/${collectionOf("v0")}`);
    expect(steps).not.toContain(`DELETE /collections/${collectionOf("v1")}`);
    expect(steps).not.toContain("DELETE /collections/someone_elses");
    expect(q.aliases.get(LIVE_ALIAS)).toBe(collectionOf("v2"));
    await q.close();
  });
});

// The embedded store means what Qdrant means: match/any on scalars and arrays, must_not, examples
// excluded, average_vector with negatives, Cosine normalisation, aliases.
import { buildFilter, fillFromPopular } from "../../../apps/recommendations/recommend";
import { judge } from "../../../apps/recommendations/cache";
import { EmbeddedStore } from "../../../apps/recommendations/vector-store/embedded";

const ids = (r: Awaited<ReturnType<EmbeddedStore["recommend"]>>) => (r.kind === "ok" ? r.hits.map((h) => h.id) : r);

describe("EmbeddedStore", () => {
  const store = new EmbeddedStore();
  beforeAll(async () => {
    await store.createCollection("c", 2, "Dot");
    await store.createKeywordIndex("c", "game");
    await store.upsert("c", [
      { id: "p", vector: [1, 0], payload: { type: "player", game: "g" } },
      { id: "a", vector: [3, 0], payload: { type: "item", game: "g", item: "a", platforms: ["ios"] } },
      { id: "b", vector: [2, 1], payload: { type: "item", game: "g", item: "b", platforms: ["android", "ios"] } },
      { id: "c", vector: [0, 5], payload: { type: "item", game: "g", item: "c", platforms: ["*"] } },
      { id: "x", vector: [9, 9], payload: { type: "item", game: "other", item: "x", platforms: ["ios"] } },
    ]);
  });

  it("ranks by inner product within the filter and never returns the examples", async () => {
    const game = { must: [{ key: "game", match: { value: "g" } }] };
    expect(ids(await store.recommend("c", { positive: ["p"], negative: [], filter: game, limit: 10 }))).toEqual(["a", "b", "c"]);
    expect(ids(await store.recommend("c", { positive: ["p"], negative: [], filter: { ...game, must_not: [{ key: "item", match: { any: ["a"] } }] }, limit: 10 }))).toEqual(["b", "c"]);
    expect(ids(await store.recommend("c", { positive: ["p"], negative: [], filter: { must: [...game.must, { key: "platforms", match: { any: ["android", "*"] } }] }, limit: 10 }))).toEqual(["b", "c"]);
    expect(ids(await store.recommend("c", { positive: ["nobody"], negative: [], filter: game, limit: 10 }))).toEqual({ kind: "missing_example", id: "nobody" });
  });

  it("average_vector with a negative: 2·avg(pos) − avg(neg) (here (2,0) − (3,0) = (−1,0))", async () => {
    const r = await store.recommend("c", { positive: ["p"], negative: ["a"], filter: { must: [{ key: "game", match: { value: "g" } }] }, limit: 2 });
    expect(r.kind === "ok" ? r.hits.map((h) => [h.id, h.score]) : r).toEqual([["c", 0], ["b", -2]]);
  });

  it("normalises on upsert for Cosine, and aliases swap whole collections", async () => {
    await store.createCollection("cos", 2, "Cosine");
    await store.upsert("cos", [{ id: "q", vector: [10, 0], payload: {} }, { id: "r", vector: [1, 1], payload: {} }]);
    const r = await store.recommend("cos", { positive: ["q"], negative: [], filter: {}, limit: 1 });
    expect(r.kind === "ok" ? r.hits[0].score : NaN).toBeCloseTo(Math.SQRT1_2, 6);
    await store.swapAlias("live", "c");
    await store.swapAlias("live", "cos");
    expect(await store.aliasTarget("live")).toBe("cos");
    await store.deleteCollection("cos");
    expect(await store.aliasTarget("live")).toBeNull();
  });
});

describe("filters and fill (pure)", () => {
  const rules = { allow: [], deny: ["d"] };
  it("always pins game and kind, adds platform, rules and exclusions", () => {
    expect(buildFilter({ game: "g", player: "p", kind: "levels", platform: "ios" }, { exclude: new Set(["o"]), rules, platform: "ios" })).toEqual({
      must: [{ key: "type", match: { value: "item" } }, { key: "game", match: { value: "g" } }, { key: "kind", match: { value: "levels" } }, { key: "platforms", match: { any: ["ios", "*"] } }],
      must_not: [{ key: "item", match: { any: ["o", "d"] } }],
    });
  });
  it("fills from popularity with the same constraints and no duplicates", () => {
    const pop = (item: string, platforms: string[]) => ({ game: "g", kind: "items" as const, item, popularity: 1, players: 1, platforms, vector: null });
    const out = fillFromPopular([{ id: "m", score: 2, source: "model" }], [pop("m", ["*"]), pop("d", ["*"]), pop("o", ["*"]), pop("w", ["web"]), pop("i", ["ios"]), pop("z", ["*"])], { exclude: new Set(["o"]), rules, platform: "ios" }, 3);
    expect(out.map((r) => `${r.id}:${r.source}`)).toEqual(["m:model", "i:popular", "z:popular"]);
  });
  it("judges cache entries: fresh, stale (expired or old version) within the grace, else unusable", () => {
    const e = (at: number, version = "v2", gen = 0) => ({ at, gen, rec: { version } as never });
    expect(judge(e(1000), 0, "v2", 1500, 1000, 500)).toBe("fresh");
    expect(judge(e(1000, "v1"), 0, "v2", 1500, 1000, 500)).toBe("stale");
    expect(judge(e(1000), 0, "v2", 2400, 1000, 500)).toBe("stale");
    expect(judge(e(1000), 0, "v2", 2600, 1000, 500)).toBe("unusable");
    expect(judge(e(1000, "v2", 0), 1, "v2", 1500, 1000, 500)).toBe("unusable");
  });
});

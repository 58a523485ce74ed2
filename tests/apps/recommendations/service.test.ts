// The recommendations service end to end on real Kafka, PostgreSQL and Redis: events through ingestion
// and the processor, a trained model, the HTTP API with tokens, filters, rules and the cache.
import { readTopic } from "../../../apps/shared/kafka";
import { setRules } from "../../../apps/recommendations/rules";
import { plantedDataset, plantedItem } from "../../../apps/recommendations/planted";
import type { PlayerTouches } from "../../../apps/recommendations/source";
import { counter, createRecsSlice, getJson, type RecBody, type RecsSlice } from "./support";

const DAY = 86_400_000;
let s: RecsSlice;
let url: string;
let second: string;
const now = Date.now();
// Game A: 6 segments (segment = player index mod 6; platform = ios for index mod 3 = 0), each preferring
// items i ≡ segment (mod 6). Segment 0 also plays three items seen on iOS only.
const planted = plantedDataset({ game: "a", players: 300, items: 60, segments: 6, perPlayer: 14, inGroup: 0.85, days: 20, now, seed: 11 });
const IOS_ONLY = ["ios-only-0", "ios-only-1", "ios-only-2"];
const gameA: PlayerTouches[] = planted.players.map((p) => {
  const extra = planted.segmentOf(p.player) === 0 ? IOS_ONLY.map((item, i) => ({ ...p.touches[0], item, at: now - (i + 1) * DAY, platform: "ios" })) : [];
  // player-0 bought (owns) three of its segment's items.
  const owned = p.player === "player-0" ? [0, 6, 12].map((i) => ({ ...p.touches[0], item: plantedItem(i), owns: true, at: now - DAY })) : [];
  return { ...p, touches: [...p.touches, ...extra, ...owned] };
});
const gameB = plantedDataset({ game: "b", players: 60, items: 20, segments: 2, perPlayer: 10, inGroup: 0.8, days: 20, now, seed: 12 }).players.map((p) => ({
  ...p,
  touches: p.touches.map((t) => ({ ...t, item: `b-${t.item}` })),
}));

const recsPath = (game: string, player: string, q = "") => `/v1/games/${game}/players/${encodeURIComponent(player)}/recommendations${q}`;

beforeAll(async () => {
  s = await createRecsSlice("recs-service");
  await s.send(gameA);
  await s.send(gameB, s.otherKey);
  ({ url } = await s.startRecommendations());
});

afterAll(async () => {
  await s?.close();
});

describe("before any model", () => {
  it("answers 503 no_model, and 401/403/400 precisely", async () => {
    const token = await s.token();
    expect((await getJson(`${url}${recsPath(s.stack.gameId, "player-1")}`, token)).body).toMatchObject({ error: "no_model" });
    expect((await getJson(`${url}${recsPath(s.stack.gameId, "player-1")}`)).status).toBe(401);
    const other = await s.token([s.otherGame]);
    const forbidden = await getJson(`${url}${recsPath(s.stack.gameId, "player-1")}`, other);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain(s.stack.gameId);
    const bad = await getJson(`${url}${recsPath(s.stack.gameId, "player-1", "?kind=weapons&limit=500")}`, token);
    expect(bad.status).toBe(400);
    expect((bad.body.details as { path: string }[]).map((d) => d.path).sort()).toEqual(["/querystring/kind", "/querystring/limit"]);
  });
});

describe("with a trained model", () => {
  let token: string;
  const recs = async (player: string, q = "", game = s.stack.gameId, t = token) => {
    const r = await getJson(`${url}${recsPath(game, player, q)}`, t);
    expect(r.status).toBe(200);
    return r.body as unknown as RecBody & { items: { id: string }[] };
  };

  beforeAll(async () => {
    token = await s.token([s.stack.gameId, s.otherGame]);
    const report = await s.train();
    expect(report.games.map((g) => g.game).sort()).toEqual([s.stack.gameId, s.otherGame].sort());
    // The service polls every 300 ms and publishes the new version into its embedded index.
    const deadline = Date.now() + 30_000;
    while ((await getJson(`${url}${recsPath(s.stack.gameId, "player-1")}`, token)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  });

  it("recommends a segment's preferred items, from the model", async () => {
    let inGroup = 0;
    let total = 0;
    for (const i of [1, 2, 4, 5, 7, 8]) {
      const body = await recs(`player-${i}`);
      expect(body.items).toHaveLength(10);
      inGroup += body.items.filter((it) => it.id.startsWith("item-") && planted.groupOf(it.id) === i % 6).length;
      total += body.items.length;
      expect(body.items.every((it) => it.source === "model")).toBe(true);
    }
    // Chance alone: 1 in 6.
    expect(inGroup / total).toBeGreaterThan(0.7);
  });

  it("never offers what the player owns, nor another game's items", async () => {
    const body = await recs("player-0", "?limit=50");
    expect(body.items.map((i) => i.id)).not.toEqual(expect.arrayContaining([plantedItem(0)]));
    for (const owned of [0, 6, 12].map(plantedItem)) expect(body.items.map((i) => i.id)).not.toContain(owned);
    expect(body.items.some((i) => i.id.startsWith("b-"))).toBe(false);
    const b = await recs("player-3", "?limit=50", s.otherGame);
    expect(b.items.length).toBeGreaterThan(0);
    expect(b.items.every((i) => i.id.startsWith("b-"))).toBe(true);
  });

  it("filters by platform: items seen only on iOS are not offered on Android", async () => {
    const ios = await recs("player-6", "?platform=ios&limit=20");
    expect(ios.items.some((i) => IOS_ONLY.includes(i.id))).toBe(true);
    const android = await recs("player-6", "?platform=android&limit=50");
    expect(android.items.length).toBeGreaterThan(0);
    expect(android.items.some((i) => IOS_ONLY.includes(i.id))).toBe(false);
  });

  it("a cold player gets popularity, with the same filters", async () => {
    const body = await recs("never-seen", "?limit=5");
    expect(body.items).toHaveLength(5);
    expect(body.items.every((i) => i.source === "popular")).toBe(true);
  });

  it("applies the game's deny and allow lists", async () => {
    // Rules reach the service within RECOMMENDATIONS_RULES_TTL_MS (500 ms here); pages cached before keep their TTL.
    const settle = () => new Promise((r) => setTimeout(r, 800));
    const denied = (await recs("player-10", "?limit=10")).items[0].id;
    await setRules(s.stack.pool, "test", s.stack.gameId, "items", "deny", [denied]);
    await settle();
    const withoutDenied = await recs("player-11", "?limit=50");
    expect(withoutDenied.items.length).toBeGreaterThan(10);
    expect(withoutDenied.items.map((i) => i.id)).not.toContain(denied);
    const allowed = [plantedItem(1), plantedItem(2), plantedItem(3)];
    await setRules(s.stack.pool, "test", s.stack.gameId, "items", "allow", allowed);
    await settle();
    expect((await recs("player-12", "?limit=10")).items.map((i) => i.id).sort()).toEqual(allowed);
    await setRules(s.stack.pool, "test", s.stack.gameId, "items", null, [...allowed, denied]);
    const { rows } = await s.stack.pool.query("SELECT action FROM audit_log WHERE target = $1 AND action LIKE 'recommendations.%' ORDER BY seq", [`game:${s.stack.gameId}`]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(["recommendations.rules.deny", "recommendations.rules.allow", "recommendations.rules.clear"]);
  });

  it("caches: a miss computes, the next request is a hit with the same page", async () => {
    const before = await counter(url, "recommendations_computations_total");
    const first = await recs("player-20", "?kind=items&limit=7");
    const again = await recs("player-20", "?kind=items&limit=3");
    expect(first.cache).toBe("miss");
    expect(again.cache).toBe("hit");
    expect(again.items).toEqual(first.items.slice(0, 3));
    expect((await counter(url, "recommendations_computations_total")) - before).toBe(1);
  });

  it("computes once for a stampede of concurrent misses across two pods", async () => {
    if (second === undefined) ({ url: second } = await s.startRecommendations());
    const urls = [url, second];
    const before = (await Promise.all(urls.map((u) => counter(u, "recommendations_computations_total")))).reduce((a, b) => a + b, 0);
    // A slow database makes the stampede real: the exclusions table is locked while the requests arrive,
    // so the pod that took the key's lock is still computing when every other request comes in.
    const blocker = await s.stack.pool.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE rec_exclusions IN ACCESS EXCLUSIVE MODE");
    const pending = Promise.all(Array.from({ length: 24 }, (_, i) => getJson(`${urls[i % 2]}${recsPath(s.stack.gameId, "player-33", "?platform=web")}`, token)));
    await new Promise((r) => setTimeout(r, 1000));
    await blocker.query("COMMIT");
    blocker.release();
    const replies = await pending;
    expect(replies.map((r) => r.status)).toEqual(Array(24).fill(200));
    const after = (await Promise.all(urls.map((u) => counter(u, "recommendations_computations_total")))).reduce((a, b) => a + b, 0);
    expect(after - before).toBe(1);
    const pages = new Set(replies.map((r) => JSON.stringify((r.body as unknown as RecBody).items)));
    expect(pages.size).toBe(1);
    // One pod computed; the others waited for its page (a request the loaded machine delivered only
    // after the page was stored finds it fresh: a hit).
    const outcomes = replies.map((r) => (r.body as unknown as RecBody).cache);
    expect(outcomes.filter((o) => o === "miss")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "waited").length).toBeGreaterThanOrEqual(12);
    expect(outcomes.filter((o) => o !== "miss" && o !== "waited" && o !== "hit")).toEqual([]);
  });

  it("publishes each computed page to recommendations.generated", async () => {
    await recs("player-41", "?kind=items");
    const seen = await readTopic(s.stack.kafka, s.generatedTopic, (rs) => rs.some((r) => r.key?.toString() === "player-41"), 20_000);
    const rec = JSON.parse(seen.find((r) => r.key?.toString() === "player-41")!.value!.toString()) as Record<string, unknown>;
    expect(rec).toMatchObject({ game_id: s.stack.gameId, player_id: "player-41", kind: "items" });
    expect((rec.items as unknown[]).length).toBeGreaterThan(0);
  });
});

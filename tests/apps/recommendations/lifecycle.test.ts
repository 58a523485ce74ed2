// What happens to recommendations over time: a player's new interaction invalidates their cached page,
// a new model version goes live under load without a failed request, and erasure removes a player's
// cache entries, vector points and rows.
import { recommendationStateStore } from "../../../apps/shared/player-data/recommendations";
import { PLAYER_DATA_PATH } from "../../../apps/shared/player-data/http";
import { playerPointId } from "../../../apps/recommendations/ids";
import { plantedDataset } from "../../../apps/recommendations/planted";
import { eventually, post } from "../support/stack";
import { createRecsSlice, getJson, type RecBody, type RecsSlice } from "./support";

let s: RecsSlice;
let url: string;
let token: string;
const now = Date.now();
const planted = plantedDataset({ game: "a", players: 200, items: 48, segments: 4, perPlayer: 12, inGroup: 0.85, days: 20, now, seed: 21 });
const path = (player: string, q = "") => `${url}/v1/games/${s.stack.gameId}/players/${player}/recommendations${q}`;
const recs = async (player: string, q = "") => {
  const r = await getJson(path(player, q), token);
  expect(r.status).toBe(200);
  return r.body as unknown as RecBody;
};

beforeAll(async () => {
  s = await createRecsSlice("recs-lifecycle");
  await s.send(planted.players);
  await s.train();
  ({ url } = await s.startRecommendations());
  token = await s.token();
});

afterAll(async () => {
  await s?.close();
});

it("a purchase of a recommended item invalidates the player's page and the item leaves it", async () => {
  const first = await recs("player-1");
  expect((await recs("player-1")).cache).toBe("hit");
  const bought = first.items[0].id;
  const r = await post(`${s.stack.ingestionUrl}/v1/events`, { type: "purchase", player_id: "player-1", currency: "EUR", amount_minor: 299, item_type: "skin", item_id: bought }, { "x-api-key": s.stack.apiKey });
  expect(r.status).toBe(202);
  // ingestion -> Kafka -> processor -> player_events + player.events.processed -> this service's updater.
  const after = await eventually("the page recomputed without the bought item", async () => {
    const body = await recs("player-1");
    return body.cache === "miss" ? body : undefined;
  });
  expect(after.items.map((i) => i.id)).not.toContain(bought);
  const { rows } = await s.stack.pool.query("SELECT reason FROM rec_exclusions WHERE game_id = $1 AND player_id = 'player-1' AND item_id = $2", [s.stack.gameId, bought]);
  expect(rows).toEqual([{ reason: "owned" }]);
});

it("swaps to a new model version under load without a failed request", async () => {
  const before = (await recs("player-2")).model_version;
  const statuses: number[] = [];
  const versions: string[] = [];
  let stop = false;
  const load = (async () => {
    for (let i = 0; !stop; i++) {
      const r = await getJson(path(`player-${i % 200}`, i % 2 === 0 ? "" : "?kind=items&limit=5"), token);
      statuses.push(r.status);
      if (r.status === 200) versions.push((r.body as unknown as RecBody).model_version);
    }
  })();
  // Requests run before the training, during it and the swap, and after it: counted in answers, not time.
  await eventually("answers from the old version", async () => (versions.length >= 10 ? true : undefined));
  const next = await s.train();
  await eventually("answers from the new version", async () => (versions.filter((v) => v === next.version).length >= 10 ? true : undefined), 60_000);
  stop = true;
  await load;
  expect(next.version).not.toBe(before);
  expect(statuses.filter((st) => st !== 200)).toEqual([]);
  // Versions only move forward: old answers, then new ones, never a mix after the swap.
  const firstNew = versions.indexOf(next.version);
  expect(versions.slice(firstNew).every((v) => v === next.version)).toBe(true);
  expect(new Set(versions.slice(0, firstNew))).toEqual(new Set([before]));
});

it("erases a player's cache entries, vector point and rows, idempotently", async () => {
  const player = "player-5";
  expect((await recs(player)).items.every((i) => i.source === "model")).toBe(true);
  const service = await s.issuer.mint({ roles: ["service"], games: "*", clientId: "gdpr-job" });
  const call = (step: "export" | "erase") =>
    fetch(`${url}${PLAYER_DATA_PATH}/recommendations/${step}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${service}` },
      body: JSON.stringify({ gameId: s.stack.gameId, playerId: player }),
    });
  const exported = (await (await call("export")).text()).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
  expect(new Set(exported.map((e) => e.kind))).toEqual(new Set(["cache_entry", "vector_point"]));
  expect(exported.find((e) => e.kind === "vector_point")!.data.id).toBe(playerPointId(s.stack.gameId, player));
  const pg = recommendationStateStore(s.stack.pool);
  const rows: string[] = [];
  await pg.export({ gameId: s.stack.gameId, playerId: player }, async (r) => void rows.push(r.kind));
  expect(rows).toContain("player_vector");

  const erased = (await (await call("erase")).json()) as { removed: number };
  expect(erased.removed).toBeGreaterThanOrEqual(2);
  expect((await pg.erase({ gameId: s.stack.gameId, playerId: player })).removed).toBeGreaterThan(0);
  expect((await (await call("export")).text()).trim()).toBe("");
  expect(await pg.export({ gameId: s.stack.gameId, playerId: player }, async () => undefined)).toBe(0);
  expect(((await (await call("erase")).json()) as { removed: number }).removed).toBe(0);
  expect((await pg.erase({ gameId: s.stack.gameId, playerId: player })).removed).toBe(0);
  // Without their vector the player is cold: popularity only.
  expect((await recs(player)).items.every((i) => i.source === "popular")).toBe(true);
  // Another player is untouched.
  expect((await recs("player-6")).items.every((i) => i.source === "model")).toBe(true);
});

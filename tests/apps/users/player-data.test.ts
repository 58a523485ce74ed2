// The PostgreSQL stores of the list: export pages never repeat or skip a row (keys at microsecond
// precision), erase removes the player's rows only and is idempotent, and the list refuses
// duplicate names and unknown `after` stores.
import { playerDataStores, PLAYER_DATA_STORES, type ExportRecord } from "../../../apps/shared/player-data";
import { rawEventsStore } from "../../../apps/shared/player-data/event-tables";
import { sqlStore } from "../../../apps/shared/player-data/sql-store";
import { type ScratchDb, scratchDatabase } from "../support/scratch-db";

let db: ScratchDb;
beforeAll(async () => {
  db = await scratchDatabase("player_data");
  await db.pool.query("INSERT INTO games (game_id) VALUES ('g1')");
  await db.pool.query("SELECT gm_ensure_event_partition(current_date)");
  // Five events of p1 within one millisecond, two of p2.
  await db.pool.query(
    `INSERT INTO player_events (event_id, event_time, event_day, received_at, game_id, player_id, event_type, payload, src_partition, src_offset)
     SELECT gen_random_uuid(), date_trunc('milliseconds', now()) + i * interval '1 microsecond', current_date, now(), 'g1', p, 'design', '{}', 0, i
     FROM generate_series(1, 5) i, unnest(ARRAY['p1', 'p1', 'p2']) WITH ORDINALITY AS u(p, k) WHERE k = 1 OR (p = 'p2' AND i <= 2)`,
  );
  await db.pool.query("INSERT INTO player_stats (game_id, player_id, first_seen, last_seen, events) VALUES ('g1', 'p1', now(), now(), 5), ('g1', 'p2', now(), now(), 2)");
});
afterAll(async () => db?.drop());

const exportAll = async (pageSize: number, playerId: string) => {
  const out: ExportRecord[] = [];
  const store = sqlStore("raw_events", db.pool, [{ kind: "event", table: "player_events", keyColumns: ["event_time", "event_id"] }], pageSize);
  await store.export({ gameId: "g1", playerId }, async (r) => void out.push(r));
  return out;
};

test("pages of one row read each of five same-millisecond events exactly once", async () => {
  const records = await exportAll(1, "p1");
  expect(records).toHaveLength(5);
  expect(new Set(records.map((r) => r.data.event_id)).size).toBe(5);
  expect(records.every((r) => r.store === "raw_events" && r.kind === "event" && !("__key0" in r.data))).toBe(true);
});

test("erase removes the player's rows in every store of the list, leaves others, and is idempotent", async () => {
  // The archives are handed to the retention job (tests/apps/retention/handoff.test.ts); the rest are tables here.
  const stores = playerDataStores({ pool: db.pool, serviceUrls: {}, serviceToken: async () => "unused" }).filter(({ store }) => store.name !== "archives");
  const removed = Object.fromEntries(await Promise.all(stores.map(async ({ store }) => [store.name, (await store.erase({ gameId: "g1", playerId: "p1" })).removed])));
  // Only raw events and the per-player stats were seeded for p1.
  expect(removed).toEqual({ raw_events: 5, player_stats: 1, player_revenue: 0, profiles: 0, rollups: 0, notifications: 0, recommendation_state: 0 });
  for (const { store } of stores) expect((await store.erase({ gameId: "g1", playerId: "p1" })).removed).toBe(0);
  expect(await exportAll(100, "p2")).toHaveLength(2);
  const stats = await db.pool.query("SELECT player_id, events FROM player_stats ORDER BY player_id");
  expect(stats.rows).toEqual([{ player_id: "p2", events: "2" }]);
});

test("the list refuses a store named twice and an `after` naming no store", () => {
  const deps = { pool: db.pool, serviceUrls: {}, serviceToken: async () => "" };
  expect(() => playerDataStores(deps, [...PLAYER_DATA_STORES, { create: (d) => rawEventsStore(d.pool) }])).toThrow('player-data store "raw_events" is listed twice');
  expect(() => playerDataStores(deps, [{ create: (d) => rawEventsStore(d.pool), after: ["rollups"] }])).toThrow("runs after rollups, which is not in the list");
});

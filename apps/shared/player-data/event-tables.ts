// The stores over the event path's tables (the processor writes them; apps/shared/db/migrations/002):
// the raw events and the per-player aggregates derived from them.
import type { Pool } from "pg";
import { sqlStore } from "./sql-store";
import type { PlayerDataStore } from "./types";

/** Every stored event of the player, across all daily partitions. */
export const rawEventsStore = (pool: Pool): PlayerDataStore =>
  sqlStore("raw_events", pool, [{ kind: "event", table: "player_events", keyColumns: ["event_time", "event_id"] }]);

/** First/last seen, sessions and event counts. */
export const playerStatsStore = (pool: Pool): PlayerDataStore => sqlStore("player_stats", pool, [{ kind: "stats", table: "player_stats", keyColumns: ["player_id"] }]);

/** Revenue per currency. */
export const playerRevenueStore = (pool: Pool): PlayerDataStore =>
  sqlStore("player_revenue", pool, [{ kind: "revenue", table: "player_revenue", keyColumns: ["currency"] }]);

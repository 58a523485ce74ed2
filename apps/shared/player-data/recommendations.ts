// The recommendations service's PostgreSQL rows about a player (migration 040): their vector in each
// model version (rec_players) and what they own, completed or abandoned (rec_exclusions). Their cached
// pages and vector-store points are the service's own store, reached over playerDataRoutes.
import type { Pool } from "pg";
import type { PlayerDataStore } from "./types";

export const RECOMMENDATION_STATE_STORE = "recommendation_state";

export function recommendationStateStore(pool: Pool): PlayerDataStore {
  const name = RECOMMENDATION_STATE_STORE;
  return {
    name,
    export: async (p, emit) => {
      const vectors = await pool.query<{ version: string; vector: Buffer; updated_at: Date }>(
        "SELECT version, vector, updated_at FROM rec_players WHERE game_id = $1 AND player_id = $2 ORDER BY version",
        [p.gameId, p.playerId],
      );
      for (const r of vectors.rows) {
        const floats = new Float32Array(new Uint8Array(r.vector).buffer);
        await emit({ store: name, kind: "player_vector", data: { version: r.version, vector: Array.from(floats), updated_at: r.updated_at.toISOString() } });
      }
      const exclusions = await pool.query<{ kind: string; item_id: string; reason: string; at: Date }>(
        "SELECT kind, item_id, reason, at FROM rec_exclusions WHERE game_id = $1 AND player_id = $2 ORDER BY kind, item_id",
        [p.gameId, p.playerId],
      );
      for (const r of exclusions.rows) await emit({ store: name, kind: "exclusion", data: { kind: r.kind, item_id: r.item_id, reason: r.reason, at: r.at.toISOString() } });
      return vectors.rows.length + exclusions.rows.length;
    },
    erase: async (p) => {
      const a = await pool.query("DELETE FROM rec_players WHERE game_id = $1 AND player_id = $2", [p.gameId, p.playerId]);
      const b = await pool.query("DELETE FROM rec_exclusions WHERE game_id = $1 AND player_id = $2", [p.gameId, p.playerId]);
      return { removed: (a.rowCount ?? 0) + (b.rowCount ?? 0) };
    },
  };
}

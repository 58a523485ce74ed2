// The rollups as a player-data store. Export: the player's own rollup rows (player facts, one row per
// active day). Erase: remove them and rebuild the game-days they touched from the remaining raw rows
// with the player left out, so no counter keeps a trace of them whichever order the stores are
// erased in (before or after raw_events). Idempotent: a second erase finds no day and changes nothing.
import type { Pool } from "pg";
import { inTransaction } from "../pg";
import { gameLockKey } from "../rollups/locks";
import { rebuildDays } from "../rollups/rebuild";
import type { EraseResult, PlayerDataStore, PlayerRef } from "./types";

export const ROLLUPS_STORE = "rollups";

export function rollupsStore(pool: Pool): PlayerDataStore {
  return {
    name: ROLLUPS_STORE,
    export: async (player: PlayerRef, emit) => {
      const args = [player.gameId, player.playerId];
      const facts = await pool.query("SELECT * FROM rollup_players WHERE game_id = $1 AND player_id = $2", args);
      const days = await pool.query("SELECT *, to_char(day, 'YYYY-MM-DD') AS day FROM rollup_player_days WHERE game_id = $1 AND player_id = $2 ORDER BY rollup_player_days.day", args);
      for (const data of facts.rows) await emit({ store: ROLLUPS_STORE, kind: "player", data });
      for (const data of days.rows) await emit({ store: ROLLUPS_STORE, kind: "player_day", data });
      return facts.rows.length + days.rows.length;
    },
    erase: (player: PlayerRef): Promise<EraseResult> =>
      inTransaction(pool, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock($1::bigint)", [gameLockKey(player.gameId)]);
        const { rows } = await c.query<{ day: string }>(
          "SELECT to_char(day, 'YYYY-MM-DD') AS day FROM rollup_player_days WHERE game_id = $1 AND player_id = $2 ORDER BY day",
          [player.gameId, player.playerId],
        );
        const { rowCount } = await c.query("DELETE FROM rollup_players WHERE game_id = $1 AND player_id = $2", [player.gameId, player.playerId]);
        const days = rows.map((r) => r.day);
        await rebuildDays(c, player.gameId, days, { excludePlayer: player.playerId });
        return { removed: days.length + (rowCount ?? 0), rebuilt: days.map((d) => `${player.gameId}/${d}`) };
      }),
  };
}

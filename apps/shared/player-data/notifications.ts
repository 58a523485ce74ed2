// The notifications a player was sent (requests, deliveries with what was rendered, every attempt)
// and their contact points, preferences and push targets, as one store of the GDPR fan-out.
// Plain SQL against the tables of migrations 030/031; erasure is one transaction and idempotent.
// Pending deliveries go too, so nothing queued for the player is sent after the erasure.
import type { Pool } from "pg";
import { inTransaction } from "../pg";
import type { EraseResult, ExportRecord, PlayerDataStore, PlayerRef } from "./types";

export const NOTIFICATIONS_STORE = "notifications";

/** kind -> the query of that kind's rows for ($1 game, $2 player), oldest first. */
const EXPORTS: Readonly<Record<string, string>> = {
  contact: "SELECT email, phone, locale, time_zone, quiet_start::text, quiet_end::text, updated_at FROM notification_recipients WHERE game_id = $1 AND player_id = $2",
  channel_preferences: "SELECT channel, opted_out, unsubscribed, daily_cap FROM notification_channel_prefs WHERE game_id = $1 AND player_id = $2 ORDER BY channel",
  push_target: "SELECT target_id, kind, endpoint, created_at FROM notification_push_targets WHERE game_id = $1 AND player_id = $2 ORDER BY created_at",
  notification:
    "SELECT notification_id, idempotency_key, template_id, category, locale, data, source, send_at, created_at FROM notifications WHERE game_id = $1 AND player_id = $2 ORDER BY created_at, notification_id",
  delivery: `SELECT delivery_id, notification_id, channel, status, attempts, reason, provider, provider_ref, rendered, delivered_at, digest_into
             FROM notification_deliveries WHERE game_id = $1 AND player_id = $2 ORDER BY notification_id, channel`,
  attempt: `SELECT a.delivery_id, a.attempt, a.provider, a.outcome, a.reason, a.response, a.started_at, a.finished_at
            FROM notification_attempts a JOIN notification_deliveries d USING (delivery_id)
            WHERE d.game_id = $1 AND d.player_id = $2 ORDER BY a.delivery_id, a.attempt`,
  daily_count: "SELECT channel, day::text, sent FROM notification_daily_counts WHERE game_id = $1 AND player_id = $2 ORDER BY day, channel",
};

/** In dependency order, so each statement counts its own rows (nothing left for a cascade to remove). */
const ERASE: readonly string[] = [
  "DELETE FROM notification_attempts a USING notification_deliveries d WHERE a.delivery_id = d.delivery_id AND d.game_id = $1 AND d.player_id = $2",
  "DELETE FROM notification_deliveries WHERE game_id = $1 AND player_id = $2 AND digest_into IS NOT NULL",
  "DELETE FROM notification_deliveries WHERE game_id = $1 AND player_id = $2",
  "DELETE FROM notifications WHERE game_id = $1 AND player_id = $2",
  "DELETE FROM notification_recipients WHERE game_id = $1 AND player_id = $2",
  "DELETE FROM notification_channel_prefs WHERE game_id = $1 AND player_id = $2",
  "DELETE FROM notification_push_targets WHERE game_id = $1 AND player_id = $2",
  "DELETE FROM notification_daily_counts WHERE game_id = $1 AND player_id = $2",
];

export function notificationsStore(pool: Pool): PlayerDataStore {
  return {
    name: NOTIFICATIONS_STORE,
    export: async (player: PlayerRef, emit: (r: ExportRecord) => Promise<void>) => {
      let n = 0;
      for (const [kind, sql] of Object.entries(EXPORTS)) {
        const { rows } = await pool.query<Record<string, unknown>>(sql, [player.gameId, player.playerId]);
        for (const data of rows) {
          await emit({ store: NOTIFICATIONS_STORE, kind, data });
          n += 1;
        }
      }
      return n;
    },
    erase: async (player: PlayerRef): Promise<EraseResult> => {
      const removed = await inTransaction(pool, async (c) => {
        let n = 0;
        for (const sql of ERASE) n += (await c.query(sql, [player.gameId, player.playerId])).rowCount ?? 0;
        return n;
      });
      return { removed };
    },
  };
}

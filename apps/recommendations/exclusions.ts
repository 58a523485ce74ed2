// rec_exclusions: what each player owns, completed or abandoned (migration 040).
import type { Pool, PoolClient } from "pg";
import type { Exclusion, ExclusionReason, Kind } from "./interactions";

export interface PlayerExclusion extends Exclusion {
  readonly game: string;
  readonly player: string;
  readonly at: Date;
}

/**
 * Records exclusions idempotently (a replayed event changes nothing). "abandoned" is upgraded when the
 * level is completed later. Returns the players whose exclusions changed, as "game/player" keys.
 */
export async function recordExclusions(c: Pool | PoolClient, rows: readonly PlayerExclusion[]): Promise<Set<string>> {
  const unique = new Map<string, PlayerExclusion>();
  const rank: Record<ExclusionReason, number> = { abandoned: 0, completed: 1, owned: 1 };
  for (const r of rows) {
    const key = `${r.game}\u0000${r.player}\u0000${r.kind}\u0000${r.item}`;
    const seen = unique.get(key);
    if (seen === undefined || rank[r.reason] > rank[seen.reason]) unique.set(key, r);
  }
  if (unique.size === 0) return new Set();
  const list = [...unique.values()];
  const { rows: changed } = await c.query<{ game_id: string; player_id: string }>(
    `INSERT INTO rec_exclusions AS x (game_id, player_id, kind, item_id, reason, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (game_id, player_id, kind, item_id) DO UPDATE SET reason = EXCLUDED.reason, at = EXCLUDED.at
       WHERE x.reason = 'abandoned' AND EXCLUDED.reason <> 'abandoned'
     RETURNING game_id, player_id`,
    [list.map((r) => r.game), list.map((r) => r.player), list.map((r) => r.kind), list.map((r) => r.item), list.map((r) => r.reason), list.map((r) => r.at)],
  );
  return new Set(changed.map((r) => `${r.game_id}/${r.player_id}`));
}

export interface PlayerExclusions {
  /** Never offered. */
  readonly excluded: string[];
  /** Abandoned levels: also negative examples. */
  readonly abandoned: string[];
}

export async function exclusionsFor(pool: Pool, game: string, player: string, kind: Kind): Promise<PlayerExclusions> {
  const { rows } = await pool.query<{ item_id: string; reason: ExclusionReason }>(
    "SELECT item_id, reason FROM rec_exclusions WHERE game_id = $1 AND player_id = $2 AND kind = $3",
    [game, player, kind],
  );
  return { excluded: rows.map((r) => r.item_id), abandoned: rows.filter((r) => r.reason === "abandoned").map((r) => r.item_id) };
}

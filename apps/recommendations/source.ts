// Reads interactions from the stored events (player_events, the processor's table): the whole window
// for training and evaluation, a few players for the online updater. Columns only, never its key.
import type { Pool } from "pg";
import { type InteractionPolicy, type Touch, touchOf } from "./interactions";

export interface PlayerTouches {
  readonly game: string;
  readonly player: string;
  readonly touches: Touch[];
}

export interface Scan {
  readonly from: Date;
  readonly until: Date;
  readonly games?: readonly string[];
  /** Only these players (game, player); absent: everyone in the window. */
  readonly players?: readonly { readonly game: string; readonly player: string }[];
}

interface Row {
  game_id: string;
  player_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  platform: string | null;
  at: number;
}

function query(s: Scan): { text: string; values: unknown[] } {
  const values: unknown[] = [s.from, s.until];
  const where = ["event_time >= $1", "event_time < $2", "event_type IN ('purchase', 'resource', 'progression')"];
  if (s.games !== undefined) {
    values.push(s.games);
    where.push(`game_id = ANY($${values.length}::text[])`);
  }
  if (s.players !== undefined) {
    values.push(s.players.map((p) => p.game), s.players.map((p) => p.player));
    where.push(`(game_id, player_id) IN (SELECT * FROM unnest($${values.length - 1}::text[], $${values.length}::text[]))`);
  }
  return {
    text: `SELECT game_id, player_id, event_type, payload, platform, (extract(epoch FROM event_time) * 1000)::float8 AS at
           FROM player_events WHERE ${where.join(" AND ")} ORDER BY game_id, player_id`,
    values,
  };
}

/** Streams the scan player by player (a server-side cursor: memory holds one page of rows). */
export async function* scanPlayers(pool: Pool, s: Scan, policy: InteractionPolicy, pageRows = 20_000): AsyncGenerator<PlayerTouches> {
  const client = await pool.connect();
  let open = false;
  try {
    await client.query("BEGIN READ ONLY");
    open = true;
    const q = query(s);
    await client.query(`DECLARE rec_scan NO SCROLL CURSOR FOR ${q.text}`, q.values);
    let current: PlayerTouches | undefined;
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH ${pageRows} FROM rec_scan`);
      for (const r of rows) {
        if (current === undefined || current.game !== r.game_id || current.player !== r.player_id) {
          if (current !== undefined) yield current;
          current = { game: r.game_id, player: r.player_id, touches: [] };
        }
        const t = touchOf(r.event_type, r.payload, r.at, r.platform, policy);
        if (t !== null) current.touches.push(t);
      }
      if (rows.length < pageRows) break;
    }
    if (current !== undefined) yield current;
    await client.query("COMMIT");
    open = false;
  } finally {
    // Also reached when the caller stops iterating early: never hand back a client inside a transaction.
    if (open) await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
}

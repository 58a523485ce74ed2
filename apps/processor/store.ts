import type { Pool, PoolClient } from "pg";
import type { EventRow } from "./enrich";

const ROW_COLUMNS =
  "event_id uuid, event_time timestamptz, event_day date, received_at timestamptz, client_time timestamptz, game_id text, " +
  "player_id text, session_id text, event_type text, platform text, app_version text, payload jsonb, src_partition int, src_offset bigint";
const COLUMNS = ROW_COLUMNS.split(", ").map((c) => c.split(" ")[0]).join(", ");

// One statement: insert the events, then fold only the rows really inserted into the
// per-player aggregates, so a redelivered batch inserts nothing and counts nothing.
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${ROW_COLUMNS})
), ins AS (
  INSERT INTO player_events (${COLUMNS})
  SELECT ${COLUMNS} FROM input ORDER BY game_id, player_id
  ON CONFLICT DO NOTHING
  RETURNING game_id, player_id, event_time, event_type, payload, src_partition, src_offset
), stats AS (
  INSERT INTO player_stats AS s (game_id, player_id, first_seen, last_seen, sessions, events)
  SELECT game_id, player_id, min(event_time), max(event_time), count(*) FILTER (WHERE event_type = 'session_start'), count(*)
  FROM ins GROUP BY game_id, player_id ORDER BY game_id, player_id
  ON CONFLICT (game_id, player_id) DO UPDATE SET
    first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
    sessions = s.sessions + EXCLUDED.sessions,
    events = s.events + EXCLUDED.events,
    updated_at = now()
  RETURNING 1
), revenue AS (
  INSERT INTO player_revenue AS r (game_id, player_id, currency, amount_minor, purchases)
  SELECT game_id, player_id, payload->>'currency', sum((payload->>'amount_minor')::bigint), count(*)
  FROM ins WHERE event_type = 'purchase' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (game_id, player_id, currency) DO UPDATE SET
    amount_minor = r.amount_minor + EXCLUDED.amount_minor,
    purchases = r.purchases + EXCLUDED.purchases
  RETURNING 1
)
SELECT (SELECT coalesce(array_agg(src_partition || ':' || src_offset), '{}') FROM ins) AS inserted, (SELECT count(*) FROM stats)::int AS players, (SELECT count(*) FROM revenue)::int AS revenue`;

/** Inserts rows idempotently and updates the aggregates; returns the rows that were new (by source offset). */
export async function insertEvents(client: PoolClient, rows: EventRow[]): Promise<EventRow[]> {
  const { rows: out } = await client.query<{ inserted: string[] }>(INSERT_SQL, [JSON.stringify(rows)]);
  const added = new Set(out[0]?.inserted ?? []);
  return rows.filter((r) => added.has(`${r.src_partition}:${r.src_offset}`));
}

/** Creates daily partitions ahead of the rows that need them; remembers those that exist. */
export class Partitions {
  private readonly known = new Set<string>();

  async ensure(client: PoolClient, days: Iterable<string>): Promise<void> {
    for (const day of new Set(days)) {
      if (this.known.has(day)) continue;
      await client.query("SELECT gm_ensure_event_partition($1::date)", [day]);
      this.known.add(day);
    }
  }
}

/** Which game ids exist; misses are asked again after a while (a game may be created later). */
export class GameDirectory {
  private readonly known = new Set<string>();
  private readonly missingUntil = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly missRetryMs = 5000,
  ) {}

  async filterKnown(gameIds: Iterable<string>): Promise<Set<string>> {
    const now = Date.now();
    const ask = [...new Set(gameIds)].filter((g) => !this.known.has(g) && (this.missingUntil.get(g) ?? 0) <= now);
    if (ask.length > 0) {
      const { rows } = await this.pool.query<{ game_id: string }>("SELECT game_id FROM games WHERE game_id = ANY($1)", [ask]);
      const found = new Set(rows.map((r) => r.game_id));
      for (const g of ask) {
        if (found.has(g)) this.known.add(g);
        else this.missingUntil.set(g, now + this.missRetryMs);
      }
    }
    return this.known;
  }
}

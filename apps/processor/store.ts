import type { Pool, PoolClient } from "pg";
import { applyDerived } from "./derived";
import type { EventRow } from "./enrich";

const ROW_COLUMNS =
  "event_id uuid, event_time timestamptz, event_day date, received_at timestamptz, client_time timestamptz, game_id text, " +
  "player_id text, session_id text, event_type text, platform text, app_version text, payload jsonb, src_partition int, src_offset bigint";
const COLUMNS = ROW_COLUMNS.split(", ").map((c) => c.split(" ")[0]).join(", ");

// One statement: claim each (game_id, event_id) in player_event_ids, then insert the events whose
// claim is new. A redelivered batch, or a client's retry of the same id with another time, claims
// nothing and inserts nothing. What it returns are the rows really inserted: all a derived table needs.
const INSERT_SQL = `
WITH input AS (
  SELECT DISTINCT ON (game_id, event_id) * FROM jsonb_to_recordset($1::jsonb) AS r(${ROW_COLUMNS}) ORDER BY game_id, event_id, src_offset
), claimed AS (
  INSERT INTO player_event_ids (game_id, event_id, event_day)
  SELECT game_id, event_id, event_day FROM input ORDER BY game_id, event_id
  ON CONFLICT DO NOTHING
  RETURNING game_id, event_id
)
INSERT INTO player_events (${COLUMNS})
SELECT ${COLUMNS.split(", ").map((c) => `i.${c}`).join(", ")} FROM input i JOIN claimed USING (game_id, event_id) ORDER BY i.game_id, i.player_id
ON CONFLICT DO NOTHING
RETURNING game_id, event_id`;

/**
 * Inserts the rows not stored yet and returns them as they were given (the others were stored before:
 * a replay or a client retry). The database names the new rows by (game_id, event_id); the rows
 * themselves come from the batch, so derived tables see every column without a wider RETURNING.
 */
export async function insertNew(client: PoolClient, rows: EventRow[]): Promise<EventRow[]> {
  const { rows: inserted } = await client.query<{ game_id: string; event_id: string }>(INSERT_SQL, [JSON.stringify(rows)]);
  // PostgreSQL returns uuids in lower case; a client may have sent them in upper case.
  const key = (r: { game_id: string; event_id: string }) => `${r.game_id}\u0000${r.event_id.toLowerCase()}`;
  const isNew = new Set(inserted.map(key));
  const seen = new Set<string>();
  // One row per identity, the first in the batch (as the statement's DISTINCT ON keeps the lowest offset).
  return [...rows]
    .sort((a, b) => Number(BigInt(a.src_offset) - BigInt(b.src_offset)))
    .filter((r) => {
      const k = key(r);
      if (!isNew.has(k) || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/**
 * Inserts rows idempotently and, from the rows that were really inserted, updates what is derived
 * from them; returns how many rows were new. The caller holds the transaction.
 */
export async function insertEvents(client: PoolClient, rows: EventRow[]): Promise<number> {
  const inserted = await insertNew(client, rows);
  await applyDerived(client, inserted);
  return inserted.length;
}

/** Creates daily partitions ahead of the rows that need them; remembers those that exist. */
export class Partitions {
  private readonly known = new Set<string>();

  /** Days whose partition may have gone since (the retention job drops archived days): ensure them again. */
  forget(days: Iterable<string>): void {
    for (const day of days) this.known.delete(day);
  }

  async ensure(client: PoolClient, days: Iterable<string>): Promise<void> {
    for (const day of new Set(days)) {
      if (this.known.has(day)) continue;
      await client.query("SELECT gm_ensure_event_partition($1::date)", [day]);
      this.known.add(day);
    }
  }
}

/** A late event for a day whose partition was archived and dropped: PostgreSQL finds no partition for the row. */
export function isMissingPartition(err: unknown): boolean {
  return (err as { code?: unknown }).code === "23514" && /no partition of relation/.test((err as Error).message);
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

// Stores events exactly as the processor does: decode to rows, insert idempotently and fold the rows
// the insert added into the rollups, all in one transaction.
import type { Pool } from "pg";
import { decode, EventRow } from "../../../../apps/processor/enrich";
import { insertEvents, Partitions } from "../../../../apps/processor/store";
import type { GameEvent } from "../../../../apps/shared/events/catalog";
import { toWireEvent } from "../../../../apps/shared/events/normalize";
import { createEventValidators } from "../../../../apps/shared/events/validate";
import { inTransaction } from "../../../../apps/shared/pg";
import { ROLLUP_TABLES } from "../../../../apps/shared/rollups/sql";

const validate = createEventValidators().wire;
const partitions = new Partitions();

/** Rows as the processor decodes them; `offset0` numbers the records (unique per batch). */
export function rowsOf(gameId: string, events: readonly GameEvent[], offset0 = 0, receivedMs = Date.now()): EventRow[] {
  return events.map((e, i) => {
    const wire = toWireEvent(e, gameId, receivedMs);
    const d = decode({ topic: "raw", partition: 0, offset: String(offset0 + i), timestamp: receivedMs, key: null, value: Buffer.from(JSON.stringify(wire)), headers: {} }, validate);
    if (d.kind !== "ok") throw new Error(d.detail);
    return d.row;
  });
}

/** One processor transaction; returns how many rows were new. */
export async function storeBatch(pool: Pool, rows: EventRow[]): Promise<number> {
  const client = await pool.connect();
  try {
    await partitions.ensure(client, rows.map((r) => r.event_day));
  } finally {
    client.release();
  }
  return inTransaction(pool, (c) => insertEvents(c, rows)); // rollups ride the processor's own step
}

/** Every rollup row of one game, in a stable order, as text: what "rebuild equals live" compares. */
export async function dumpRollups(pool: Pool, gameId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ROLLUP_TABLES) {
    const { rows } = await pool.query<{ r: string }>(`SELECT t::text AS r FROM ${table} t WHERE game_id = $1 ORDER BY 1`, [gameId]);
    out[table] = rows.map((x) => x.r);
  }
  return out;
}

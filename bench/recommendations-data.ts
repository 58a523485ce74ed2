// The recommendations bench's dataset: planted interactions written straight into player_events of a
// scratch database (the event path has its own bench; this one measures training and serving).
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import type { Touch } from "../apps/recommendations/interactions";
import { plantedDataset } from "../apps/recommendations/planted";

/** The payload of a booster sink (an item used, not owned): the bench's interactions. */
const payload = (t: Touch) => ({ flow: "sink", currency: "gems", amount: 5, item_type: "booster", item_id: t.item });

export interface BenchData {
  readonly game: string;
  readonly players: number;
  readonly items: number;
  readonly perPlayer: number;
}

/** Inserts players × perPlayer events in slices; returns the number of rows. */
export async function loadPlanted(pool: Pool, d: BenchData, now: number, log: (s: string) => void): Promise<number> {
  const days = 28;
  for (let day = 0; day <= days + 1; day++) await pool.query("SELECT gm_ensure_event_partition($1::date)", [new Date(now - day * 86_400_000).toISOString().slice(0, 10)]);
  const slice = 5000;
  let rows = 0;
  for (let first = 0; first < d.players; first += slice) {
    const ds = plantedDataset({ game: d.game, players: Math.min(slice, d.players - first), firstPlayer: first, items: d.items, segments: 50, perPlayer: d.perPlayer, inGroup: 0.7, days, now, seed: 1000 + first });
    const events = ds.players.flatMap((p) => p.touches.map((t) => ({ player: p.player, e: payload(t), t })));
    await pool.query(
      `INSERT INTO player_events (event_id, event_time, event_day, received_at, game_id, player_id, event_type, platform, payload, src_partition, src_offset)
       SELECT id, t, t::date, t, $1, p, 'resource', pl, pay, 0, 0 FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[]) AS x(id, t, p, pl, pay)`,
      [d.game, events.map(() => randomUUID()), events.map((x) => new Date(x.t.at)), events.map((x) => x.player), events.map((x) => x.t.platform), events.map((x) => JSON.stringify(x.e))],
    );
    rows += events.length;
    if (first % 25_000 === 0) log(`  ${rows} events written`);
  }
  return rows;
}

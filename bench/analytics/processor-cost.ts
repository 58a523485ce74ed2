// What the rollups cost the processor: the processor's own store step (insertEvents in one transaction
// per batch of 750, as a 256 KB fetch holds) with and without applyRollups, on the same events, on one
// connection, alternated three times. Also checks that the live rollups of that run equal a rebuild.
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import type { EventRow } from "../../apps/processor/enrich";
import { applyEventAggregates } from "../../apps/processor/derived";
import { insertEvents, insertNew, Partitions } from "../../apps/processor/store";
import { createApiKey } from "../../apps/shared/apikeys";
import { inTransaction } from "../../apps/shared/pg";
import { dayRange, rebuildDays } from "../../apps/shared/rollups/rebuild";
import { ROLLUP_TABLES } from "../../apps/shared/rollups/sql";

const TYPES: [string, (i: number) => Record<string, unknown>][] = [
  ["session_start", () => ({})],
  ["progression", (i) => ({ status: ["start", "fail", "complete"][i % 3], levels: ["world1", `level${i % 7}`] })],
  ["resource", (i) => ({ flow: i % 2 === 0 ? "source" : "sink", currency: "gold", amount: 5 + (i % 9), item_type: "reward", item_id: "x" })],
  ["design", () => ({ design_id: "ui.shop.open", value: 1 })],
  ["purchase", (i) => ({ currency: "USD", amount_minor: 99 * (1 + (i % 4)), item_type: "gems", item_id: "p" })],
  ["session_end", (i) => ({ length_s: 60 + (i % 900) })],
];

/** Events of `players` players over the last `days` days, mostly today (as live traffic is). */
function rows(game: string, n: number, players: number, days: number, now: number): EventRow[] {
  return Array.from({ length: n }, (_, i) => {
    const back = i % 10 === 0 ? (i % days) * 86_400_000 : 0;
    const at = new Date(now - back - (i % 3_600_000)).toISOString();
    const [type, payload] = TYPES[(i * 7) % TYPES.length];
    return {
      event_id: randomUUID(), event_time: at, event_day: at.slice(0, 10), received_at: at, client_time: at, game_id: game,
      player_id: `p${(i * 7919) % players}`, session_id: null, event_type: type, platform: ["ios", "android"][i % 2], app_version: "1.0.0",
      payload: payload(i), src_partition: 0, src_offset: String(i),
    };
  });
}

async function run(pool: Pool, batches: EventRow[][], withRollups: boolean): Promise<number> {
  const partitions = new Partitions();
  const start = process.hrtime.bigint();
  let n = 0;
  for (const b of batches) {
    const c = await pool.connect();
    try {
      await partitions.ensure(c, b.map((r) => r.event_day));
    } finally {
      c.release();
    }
    n += await inTransaction(pool, async (c) => {
      if (withRollups) return insertEvents(c, b); // the processor's step: aggregates and rollups
      const added = await insertNew(c, b);
      await applyEventAggregates(c, added);
      return added.length;
    });
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

export interface ProcessorCost {
  events: number;
  withoutPerSec: number[];
  withPerSec: number[];
  rebuildEqualsLive: boolean;
}

export async function processorCost(pool: Pool, events: number, days: number): Promise<ProcessorCost> {
  const out: ProcessorCost = { events, withoutPerSec: [], withPerSec: [], rebuildEqualsLive: false };
  const now = Date.now();
  let lastWith = "";
  for (let round = 0; round < 3; round++) {
    for (const withRollups of [false, true]) {
      const game = `bench-proc-${round}-${withRollups ? "r" : "n"}`;
      await createApiKey(pool, game);
      const all = rows(game, events, Math.max(100, Math.floor(events / 30)), days, now);
      const batches = Array.from({ length: Math.ceil(all.length / 750) }, (_, i) => all.slice(i * 750, (i + 1) * 750));
      (withRollups ? out.withPerSec : out.withoutPerSec).push(await run(pool, batches, withRollups));
      if (withRollups) lastWith = game;
    }
  }
  const dump = async () => {
    const parts: string[] = [];
    for (const t of ROLLUP_TABLES) {
      const { rows: r } = await pool.query<{ h: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${t} t WHERE game_id = $1`, [lastWith]);
      parts.push(`${t}:${r[0].h}`);
    }
    return parts.join(",");
  };
  const live = await dump();
  const today = new Date(now).toISOString().slice(0, 10);
  const first = new Date(now - days * 86_400_000).toISOString().slice(0, 10);
  await inTransaction(pool, async (c) => {
    for (const t of ROLLUP_TABLES) await c.query(`DELETE FROM ${t} WHERE game_id = $1`, [lastWith]);
    await rebuildDays(c, lastWith, dayRange(first, today));
  });
  out.rebuildEqualsLive = (await dump()) === live;
  return out;
}

// A short burst of demo game traffic through the real HTTP API.
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";

const PLATFORMS = ["ios", "android", "webgl"];

/** A plausible play session for one player (pure). */
export function demoSession(playerId: string, i: number): Record<string, unknown>[] {
  const session_id = randomUUID();
  const common = { player_id: playerId, session_id, platform: PLATFORMS[i % PLATFORMS.length], app_version: "1.4.2" };
  return [
    { ...common, type: "session_start" },
    { ...common, type: "progression", status: "start", levels: ["world1", `level${(i % 5) + 1}`] },
    { ...common, type: "resource", flow: "sink", currency: "gems", amount: 5, item_type: "boost", item_id: "speed" },
    { ...common, type: "progression", status: i % 3 === 0 ? "fail" : "complete", levels: ["world1", `level${(i % 5) + 1}`], score: 100 * i },
    { ...common, type: "design", design_id: "ui.shop.open", value: 1 },
    ...(i % 4 === 0 ? [{ ...common, type: "purchase", currency: "USD", amount_minor: 199, item_type: "gems", item_id: "gems_100" }] : []),
    { ...common, type: "session_end", length_s: 60 + i },
  ];
}

/** Posts demo sessions as batches; returns the ids of the events answered 202. */
export async function sendDemoTraffic(baseUrl: string, apiKey: string, players: number): Promise<string[]> {
  const events = Array.from({ length: players }, (_, i) => demoSession(`player-${i + 1}`, i)).flat();
  const ids: string[] = [];
  for (let i = 0; i < events.length; i += 100) {
    const r = await fetch(`${baseUrl}/v1/events/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ events: events.slice(i, i + 100) }),
    });
    if (r.status !== 202) throw new Error(`demo batch answered ${r.status}: ${await r.text()}`);
    ids.push(...((await r.json()) as { event_ids: string[] }).event_ids);
  }
  return ids;
}

export async function waitStored(pool: Pool, ids: string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [ids]);
    const n = rows[0]?.n ?? 0;
    if (n === ids.length || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
}

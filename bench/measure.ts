// Our own figures: HTTP load with autocannon, processor drain rate and end-to-end latency from the database.
import autocannon from "autocannon";
import { readFileSync } from "node:fs";
import type { Pool } from "pg";

export interface HttpFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export async function httpLoad(url: string, apiKey: string, body: string, connections: number, seconds: number, overallRate?: number): Promise<HttpFigures> {
  const r = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body,
    connections,
    duration: seconds,
    ...(overallRate === undefined ? {} : { overallRate }),
  });
  return { reqPerSec: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Events per second between the first and the last row a processor stored for a game. */
export async function storedRate(pool: Pool, gameId: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number; secs: number }>(
      "SELECT count(*)::int AS n, extract(epoch FROM max(stored_at) - min(stored_at))::float8 AS secs FROM player_events WHERE game_id = $1",
      [gameId],
    );
    const { n, secs } = rows[0];
    if (n >= expected) return n / Math.max(secs, 0.001);
    if (Date.now() > deadline) throw new Error(`processor stored ${n} of ${expected} events in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the processor has nothing left to store for a game (its count stops moving). */
export async function waitQuiet(pool: Pool, gameId: string): Promise<void> {
  let last = -1;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [gameId]);
    if (rows[0].n === last) return;
    last = rows[0].n;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Percentiles of received_at (just before the 202) -> stored_at (row written), in ms. */
export async function endToEndMs(pool: Pool, gameId: string, playerId: string): Promise<{ p50: number; p99: number; n: number }> {
  const { rows } = await pool.query<{ p50: number; p99: number; n: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*)::int AS n
     FROM (SELECT extract(epoch FROM stored_at - received_at) * 1000 AS ms FROM player_events WHERE game_id = $1 AND player_id = $2) x`,
    [gameId, playerId],
  );
  return rows[0];
}

/** Peak and current resident memory of a process, in MB. */
export function rssMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

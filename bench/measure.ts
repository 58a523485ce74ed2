// Our own figures: HTTP load with wrk in its own process, CPU and memory per process from /proc,
// processor drain rate and end-to-end latency from the database.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pool } from "pg";
import { MissingPrerequisite } from "../local/prereqs";

export interface HttpFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** wrk from Debian's packages (the load generator runs in its own process, off the measured one's core). */
export function requireWrk(): string {
  const r = spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" });
  if (r.status !== 0) throw new MissingPrerequisite("missing wrk, the bench's HTTP load generator (install: apt-get update && apt-get install -y wrk)");
  return r.stdout.trim();
}

const ms = (v: string, unit: string) => Number(v) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/** Closed-loop load: `connections` keep one request each in flight for `seconds`. */
export function wrk(url: string, body: string | undefined, headers: Record<string, string>, connections: number, seconds: number): HttpFigures {
  const dir = mkdtempSync(join(tmpdir(), "gm-wrk-"));
  const script = join(dir, "post.lua");
  writeFileSync(script, [
    `wrk.method = "${body === undefined ? "GET" : "POST"}"`,
    ...(body === undefined ? [] : [`wrk.body = ${JSON.stringify(body)}`]),
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    "",
  ].join("\n"));
  const r = spawnSync(requireWrk(), ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  const lat = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
    return m === null ? Number.NaN : ms(m[1], m[2]);
  };
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50Ms: lat("50"),
    p99Ms: lat("99"),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errs === null ? 0 : errs.slice(1).reduce((a, b) => a + Number(b), 0),
  };
}

/** CPU seconds (user + system) used so far by each process. */
export function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs `fn` and returns, with its result, the cores each named process used meanwhile. */
export async function withCpu<T>(pids: Record<string, () => number[] | Promise<number[]>>, fn: () => Promise<T> | T): Promise<{ value: T; cores: Record<string, number> }> {
  // A process that starts during fn (the processor, its database backends) counts from its start.
  const sum = async (f: () => number[] | Promise<number[]>) => (await f()).reduce((a, p) => a + cpuSeconds(p), 0);
  const keys = Object.keys(pids);
  const before = await Promise.all(keys.map((k) => sum(pids[k])));
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = await Promise.all(keys.map((k) => sum(pids[k])));
  return { value, cores: Object.fromEntries(keys.map((k, i) => [k, (after[i] - before[i]) / secs])) };
}

/** Events per second between the first and the last row stored for a game. */
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

/** Percentiles of received_at (just before the 202) -> stored_at (row written), in ms. */
export async function endToEndMs(pool: Pool, gameId: string): Promise<{ p50: number; p99: number; n: number }> {
  const { rows } = await pool.query<{ p50: number; p99: number; n: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*)::int AS n
     FROM (SELECT extract(epoch FROM stored_at - received_at) * 1000 AS ms FROM player_events WHERE game_id = $1) x`,
    [gameId],
  );
  return rows[0];
}

/** Peak resident memory of a process, in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Median and spread of repeated figures. */
export function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

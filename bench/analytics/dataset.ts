// The bench dataset: N events over D days for P players of one game, streamed as CSV into
// player_events with psql's \copy (COPY FROM STDIN). Players install on a uniformly random day and
// come back with a decaying probability; each active day holds sessions of typical events.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";

export interface DatasetSize {
  readonly events: number;
  readonly days: number;
  readonly players: number;
}

/** Park-Miller, seeded: the same dataset every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647;
}

const PLATFORMS = ["ios", "android", "web", "windows"];
const VERSIONS = ["2.0.0", "2.1.0", "2.2.0"];
const LEVELS = Array.from({ length: 20 }, (_, i) => `["world${1 + Math.floor(i / 5)}","level${1 + (i % 5)}"]`);
const COLUMNS = "event_id, event_time, event_day, received_at, client_time, game_id, player_id, session_id, event_type, platform, app_version, payload, src_partition, src_offset";

/** Active days per player: install day, then day n after it with probability 0.6 / sqrt(n + 1). */
export function playerDays(size: DatasetSize, seed = 1): Uint16Array[] {
  const r = rng(seed);
  const out: Uint16Array[] = [];
  for (let p = 0; p < size.players; p++) {
    const install = Math.floor(r() * size.days);
    const days = [install];
    for (let d = install + 1; d < size.days; d++) if (r() < 0.6 / Math.sqrt(d - install + 1)) days.push(d);
    out.push(Uint16Array.from(days));
  }
  return out;
}

const csvJson = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** One player-day of `k` events (k >= 2): a session_start first, a session_end last, typical events between. */
function playerDayRows(r: () => number, game: string, player: string, platform: string, version: string, dayMs: number, k: number, offset: number): string {
  let t = dayMs + Math.floor(r() * 18 * 3_600_000);
  const session = randomUUID();
  const day = new Date(dayMs).toISOString().slice(0, 10);
  let out = "";
  for (let i = 0; i < k; i++) {
    t += 1000 + Math.floor(r() * 30_000);
    let type: string;
    let payload: string;
    const x = r();
    if (i === 0) [type, payload] = ["session_start", "{}"];
    else if (i === k - 1) [type, payload] = ["session_end", `{"length_s":${60 + Math.floor(r() * 1800)}}`];
    else if (x < 0.45) {
      const status = r() < 0.5 ? "start" : r() < 0.6 ? "complete" : "fail";
      [type, payload] = ["progression", `{"status":"${status}","levels":${LEVELS[Math.floor(r() * LEVELS.length)]}${status === "complete" ? `,"attempt":${1 + Math.floor(r() * 4)}` : ""}}`];
    } else if (x < 0.75) [type, payload] = ["resource", `{"flow":"${r() < 0.5 ? "source" : "sink"}","currency":"gold","amount":${(1 + Math.floor(r() * 50)) * 5},"item_type":"reward","item_id":"chest"}`];
    else if (x < 0.93) [type, payload] = ["design", `{"design_id":"ui.${["shop", "ad", "menu"][Math.floor(r() * 3)]}.open","value":1}`];
    else if (x < 0.98) [type, payload] = ["purchase", `{"currency":"${r() < 0.8 ? "USD" : "EUR"}","amount_minor":${[99, 499, 999, 1999][Math.floor(r() * 4)]},"item_type":"gems","item_id":"pack"}`];
    else [type, payload] = ["error", `{"severity":"${r() < 0.8 ? "warning" : "error"}","message":"timeout"}`];
    const at = new Date(t).toISOString();
    out += `${randomUUID()},${at},${day},${at},${at},${game},${player},${session},${type},${platform},${version},${csvJson(payload)},0,${offset + i}\n`;
  }
  return out;
}

/** Streams the dataset into player_events; returns the number of rows and player-days written. */
export async function copyDataset(databaseUrl: string, game: string, size: DatasetSize, firstDay: string, seed = 1): Promise<{ rows: number; playerDays: number }> {
  const schedule = playerDays(size, seed);
  const totalDays = schedule.reduce((s, d) => s + d.length, 0);
  const perDay = Math.max(2, size.events / totalDays);
  const r = rng(seed + 1);
  const base = Date.parse(`${firstDay}T00:00:00Z`);
  const psql = spawn("psql", [databaseUrl, "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy player_events (${COLUMNS}) FROM STDIN CSV`], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  psql.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<number | null>((resolve) => psql.once("exit", resolve));
  let rows = 0;
  let buffer = "";
  let carry = 0;
  for (let p = 0; p < schedule.length && rows < size.events; p++) {
    const platform = PLATFORMS[p % PLATFORMS.length];
    for (const d of schedule[p]) {
      carry += perDay * (0.5 + r());
      const k = Math.max(2, Math.min(Math.floor(carry), size.events - rows));
      if (size.events - rows < 2) break;
      carry -= k;
      buffer += playerDayRows(r, game, `p${p}`, platform, VERSIONS[Math.min(VERSIONS.length - 1, Math.floor(d / 10))], base + d * 86_400_000, k, rows);
      rows += k;
      if (buffer.length > 1 << 20) {
        if (!psql.stdin.write(buffer)) await new Promise((res) => psql.stdin.once("drain", res));
        buffer = "";
      }
    }
  }
  psql.stdin.end(buffer);
  const code = await done;
  if (code !== 0) throw new Error(`psql \\copy failed (${code}): ${stderr}`);
  return { rows, playerDays: totalDays };
}

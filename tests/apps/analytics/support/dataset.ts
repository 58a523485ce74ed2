// A generated multi-day dataset for the analytics tests: players who install on different days, come
// back on some later days, play sessions, pay in two currencies, progress through levels, earn and
// spend resources and send design and error events. Seeded, so every run is the same.
import { randomUUID } from "node:crypto";
import type { GameEvent } from "../../../../apps/shared/events/catalog";

export interface GenEvent {
  readonly event: GameEvent & { event_id: string; event_time: string };
  readonly day: string;
}

/** Park-Miller: small, seeded, good enough to spread test data. */
export function rng(seed: number): () => number {
  let s = seed % 2_147_483_647;
  if (s <= 0) s += 2_147_483_646;
  return () => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647;
}

export const isoDay = (base: string, n: number): string => new Date(Date.parse(`${base}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface DatasetOptions {
  readonly startDay: string;
  readonly days: number;
  readonly players: number;
  readonly seed: number;
}

const PLATFORMS = ["ios", "android", "web"];
const VERSIONS = ["1.0.0", "1.1.0"];

/** Events of every player over `days` days starting at `startDay`. */
export function generate(o: DatasetOptions): GenEvent[] {
  const r = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: GenEvent[] = [];
  for (let p = 0; p < o.players; p++) {
    const playerId = `p${p}`;
    const install = Math.floor(r() * o.days);
    const platform = pick(PLATFORMS);
    for (let d = install; d < o.days; d++) {
      if (d > install && r() < 0.45) continue; // not every day
      const day = isoDay(o.startDay, d);
      let t = Date.parse(`${day}T00:00:00Z`) + Math.floor(r() * 20 * 3_600_000);
      const version = d - install > 2 ? VERSIONS[1] : VERSIONS[0];
      const at = () => new Date((t += 1000 + Math.floor(r() * 60_000))).toISOString();
      const common = () => ({ event_id: randomUUID(), player_id: playerId, platform, app_version: version, event_time: at() });
      const sessions = 1 + Math.floor(r() * 2);
      for (let s = 0; s < sessions; s++) {
        out.push({ day, event: { ...common(), type: "session_start" } });
        const level = `world1:level${1 + Math.floor(r() * 3)}`;
        out.push({ day, event: { ...common(), type: "progression", status: "start", levels: level.split(":") } });
        if (r() < 0.4) out.push({ day, event: { ...common(), type: "progression", status: "fail", levels: level.split(":") } });
        else out.push({ day, event: { ...common(), type: "progression", status: "complete", levels: level.split(":"), attempt: 1 + Math.floor(r() * 3) } });
        if (r() < 0.15) {
          const currency = r() < 0.7 ? "USD" : "EUR";
          out.push({ day, event: { ...common(), type: "purchase", currency, amount_minor: pick([99, 499, 999]), item_type: "gems", item_id: "pack" } });
        }
        out.push({ day, event: { ...common(), type: "resource", flow: pick(["source", "sink"] as const), currency: "gold", amount: pick([10, 2.5, 100]), item_type: "reward", item_id: "x" } });
        if (r() < 0.3) out.push({ day, event: { ...common(), type: "design", design_id: pick(["ui.shop.open", "ui.ad.shown"]), value: pick([1, 0.5]) } });
        if (r() < 0.05) out.push({ day, event: { ...common(), type: "error", severity: pick(["warning", "error"] as const), message: "boom" } });
        out.push({ day, event: { ...common(), type: "session_end", length_s: 30 + Math.floor(r() * 1500) } });
      }
    }
  }
  return out;
}

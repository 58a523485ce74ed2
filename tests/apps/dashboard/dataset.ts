// What the browser tests seed for their game, and the independent recount the overview must show.
import { randomUUID } from "node:crypto";
import { generate, type GenEvent } from "../analytics/support/dataset";

export interface Range {
  readonly from: string;
  readonly to: string;
}

/** The generated week, plus players the page tests need. */
export function seededEvents(range: Range): GenEvent[] {
  // One player with more events than a timeline page (50), so paging is exercised.
  const pager = Array.from({ length: 61 }, (_, i) => ({ day: range.to, event: { type: "design" as const, design_id: "ui.shop.open", event_id: randomUUID(), player_id: "pager", event_time: `${range.to}T1${Math.floor(i / 60)}:${String(i % 60).padStart(2, "0")}:00.000Z` } }));
  // The erasure test's player, with a session on the first day.
  const eraseMe = [0, 1].map((i) => ({ day: range.from, event: { type: "session_start" as const, event_id: randomUUID(), player_id: "erase-me", event_time: `${range.from}T0${i + 1}:00:00.000Z` } }));
  // Items to recommend: thirty players each spend gems on one of six boosters.
  const shop = Array.from({ length: 30 }, (_, i) => ({ day: range.to, event: { type: "resource" as const, flow: "sink" as const, currency: "gems", amount: 5, item_type: "booster", item_id: `shop-${i % 6}`, event_id: randomUUID(), player_id: `p${i}`, event_time: `${range.to}T21:${String(i).padStart(2, "0")}:00.000Z` } }));
  return [...generate({ startDay: range.from, days: 7, players: 40, seed: 18 }), ...pager, ...eraseMe, ...shop];
}

/** Independent recount of the seeded events over the range. */
export function recount(events: readonly GenEvent[], range: Range) {
  const players = (day?: string) => new Set(events.filter((e) => day === undefined || e.day === day).map((e) => e.event.player_id));
  const revenue = new Map<string, number>();
  for (const { event: e } of events) if (e.type === "purchase") revenue.set(e.currency, (revenue.get(e.currency) ?? 0) + e.amount_minor);
  return {
    dau: players(range.to).size,
    // Every seeded day is within 30 days of the range's end: MAU is everyone.
    mau: players().size,
    newPlayers: players().size,
    sessions: events.filter((e) => e.event.type === "session_start").length,
    revenue: [...revenue].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => `${(v / 100).toFixed(2)} ${c}`).join(" · "),
  };
}

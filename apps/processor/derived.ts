// Tables derived from stored events, maintained from the rows a transaction really inserted (never
// from the batch as received), so a replay or a client retry changes nothing. This is the one step
// to extend with further derived tables (rollups): each gets the same `inserted` rows and the same
// transaction.
import type { PoolClient } from "pg";
import { applyRollups } from "../shared/rollups";
import type { EventRow } from "./enrich";

/** A row this transaction inserted, as the batch gave it. */
export type InsertedEvent = EventRow;

interface PlayerDelta {
  game_id: string;
  player_id: string;
  first: number;
  last: number;
  sessions: number;
  events: number;
}

/** Per-player sums of the inserted rows (pure). */
export function playerDeltas(inserted: readonly InsertedEvent[]): PlayerDelta[] {
  const by = new Map<string, PlayerDelta>();
  for (const e of inserted) {
    const k = `${e.game_id}\u0000${e.player_id}`;
    const t = Date.parse(e.event_time);
    const d = by.get(k) ?? { game_id: e.game_id, player_id: e.player_id, first: t, last: t, sessions: 0, events: 0 };
    d.first = Math.min(d.first, t);
    d.last = Math.max(d.last, t);
    d.events++;
    if (e.event_type === "session_start") d.sessions++;
    by.set(k, d);
  }
  // a fixed order: concurrent transactions lock player rows in the same order (no deadlocks)
  return [...by.values()].sort((a, b) => (a.game_id + a.player_id < b.game_id + b.player_id ? -1 : 1));
}

/** Per player and currency revenue of the inserted purchases (pure). */
export function revenueDeltas(inserted: readonly InsertedEvent[]): { game_id: string; player_id: string; currency: string; amount: number; purchases: number }[] {
  const by = new Map<string, { game_id: string; player_id: string; currency: string; amount: number; purchases: number }>();
  for (const e of inserted) {
    const { currency, amount_minor: amount } = e.payload as { currency?: string; amount_minor?: number };
    if (e.event_type !== "purchase" || currency === undefined) continue;
    const k = `${e.game_id}\u0000${e.player_id}\u0000${currency}`;
    const d = by.get(k) ?? { game_id: e.game_id, player_id: e.player_id, currency, amount: 0, purchases: 0 };
    d.amount += amount ?? 0;
    d.purchases++;
    by.set(k, d);
  }
  return [...by.values()].sort((a, b) => (a.game_id + a.player_id + a.currency < b.game_id + b.player_id + b.currency ? -1 : 1));
}

const STATS_SQL = `
INSERT INTO player_stats AS s (game_id, player_id, first_seen, last_seen, sessions, events)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::bigint[])
ON CONFLICT (game_id, player_id) DO UPDATE SET
  first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
  sessions = s.sessions + EXCLUDED.sessions,
  events = s.events + EXCLUDED.events,
  updated_at = now()`;

const REVENUE_SQL = `
INSERT INTO player_revenue AS r (game_id, player_id, currency, amount_minor, purchases)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
ON CONFLICT (game_id, player_id, currency) DO UPDATE SET
  amount_minor = r.amount_minor + EXCLUDED.amount_minor,
  purchases = r.purchases + EXCLUDED.purchases`;

/** player_stats and player_revenue from the rows this transaction inserted. */
export async function applyEventAggregates(client: PoolClient, inserted: readonly InsertedEvent[]): Promise<void> {
  if (inserted.length === 0) return;
  const p = playerDeltas(inserted);
  await client.query(STATS_SQL, [
    p.map((d) => d.game_id), p.map((d) => d.player_id), p.map((d) => new Date(d.first)), p.map((d) => new Date(d.last)), p.map((d) => d.sessions), p.map((d) => d.events),
  ]);
  const r = revenueDeltas(inserted);
  if (r.length > 0) {
    await client.query(REVENUE_SQL, [r.map((d) => d.game_id), r.map((d) => d.player_id), r.map((d) => d.currency), r.map((d) => d.amount), r.map((d) => d.purchases)]);
  }
}

/** Updates every derived table from the rows this transaction inserted. */
export async function applyDerived(client: PoolClient, inserted: readonly InsertedEvent[]): Promise<void> {
  if (inserted.length === 0) return;
  await applyEventAggregates(client, inserted);
  // The analytics rollups, from the same rows in the same transaction: a replay counts nothing.
  await applyRollups(client, inserted);
}

// The shapes the rollups are computed from and kept in. Pure types and small pure helpers.

/** A stored event as the processor inserted it (the columns of player_events the rollups read). */
export interface StoredEvent {
  readonly event_id: string;
  /** ISO 8601 with offset. */
  readonly event_time: string;
  /** UTC day of event_time, YYYY-MM-DD. */
  readonly event_day: string;
  readonly game_id: string;
  readonly player_id: string;
  readonly event_type: string;
  readonly platform: string | null;
  readonly app_version: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** The earliest of a set of events: event_time, then event_id (as PostgreSQL orders uuids). */
export interface EventOrder {
  readonly atMs: number;
  readonly id: string;
}

export function orderOf(e: Pick<StoredEvent, "event_time" | "event_id">): EventOrder {
  return { atMs: Date.parse(e.event_time), id: e.event_id.toLowerCase() };
}

export function earlier(a: EventOrder, b: EventOrder): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.id < b.id);
}

export interface FirstPurchase extends EventOrder {
  readonly day: string;
  readonly currency: string;
  readonly minor: number;
}

/** rollup_players. */
export interface PlayerState {
  readonly firstDay: string;
  readonly firstPurchase: FirstPurchase | null;
}

/** Revenue of one player-day: currency -> [amount_minor, purchases]. */
export type Revenue = Record<string, [number, number]>;

/** rollup_player_days (without the key). */
export interface DayState {
  readonly platform: string;
  readonly appVersion: string;
  readonly first: EventOrder;
  readonly events: number;
  readonly sessions: number;
  readonly sessionEnds: number;
  readonly playtimeS: number;
  readonly revenue: Revenue;
}

export const keyOf = (...parts: readonly (string | number | boolean)[]): string => parts.join("\u0001");
export const partsOf = (key: string): string[] => key.split("\u0001");

export const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function hourOf(eventTime: string): string {
  const ms = Date.parse(eventTime);
  return new Date(ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000)).toISOString();
}

/** Payload fields read defensively: the processor validated them, but rows may come from older schemas. */
export function text(payload: Readonly<Record<string, unknown>>, field: string): string {
  const v = payload[field];
  return typeof v === "string" ? v : "";
}

export function num(payload: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const v = payload[field];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

// Rows of rollup_players / rollup_player_days as the store returns them, and back.
import type { DayState, PlayerState, Revenue } from "./model";
import type { Columns } from "./sql";

export const PLAYER_COLUMNS: Columns = [
  ["game_id", "text"], ["player_id", "text"], ["first_day", "date"], ["first_purchase_at", "timestamptz"],
  ["first_purchase_id", "uuid"], ["first_purchase_currency", "text"], ["first_purchase_minor", "bigint"],
];

export const DAY_COLUMNS: Columns = [
  ["game_id", "text"], ["player_id", "text"], ["day", "date"], ["platform", "text"], ["app_version", "text"], ["first_at", "timestamptz"],
  ["first_event_id", "uuid"], ["events", "int"], ["sessions", "int"], ["session_ends", "int"], ["playtime_s", "bigint"], ["revenue", "jsonb"],
];

export interface PlayerRow {
  game_id: string;
  player_id: string;
  first_day: string;
  first_purchase_at: Date | null;
  first_purchase_id: string | null;
  first_purchase_currency: string | null;
  first_purchase_minor: number | null;
}

export const PLAYER_SELECT =
  "t.game_id, t.player_id, to_char(t.first_day, 'YYYY-MM-DD') AS first_day, t.first_purchase_at, t.first_purchase_id::text AS first_purchase_id, " +
  "t.first_purchase_currency, t.first_purchase_minor::float8 AS first_purchase_minor";

export function playerFromRow(r: PlayerRow): PlayerState {
  const fp =
    r.first_purchase_at === null
      ? null
      : {
          atMs: r.first_purchase_at.getTime(),
          id: r.first_purchase_id ?? "",
          day: r.first_purchase_at.toISOString().slice(0, 10),
          currency: r.first_purchase_currency ?? "",
          minor: r.first_purchase_minor ?? 0,
        };
  return { firstDay: r.first_day, firstPurchase: fp };
}

export function playerRecord(gameId: string, playerId: string, p: PlayerState): unknown[] {
  const fp = p.firstPurchase;
  return [gameId, playerId, p.firstDay, fp === null ? null : new Date(fp.atMs).toISOString(), fp?.id ?? null, fp?.currency ?? null, fp?.minor ?? null];
}

export interface DayRow {
  game_id: string;
  player_id: string;
  day: string;
  platform: string;
  app_version: string;
  first_at: Date;
  first_event_id: string;
  events: number;
  sessions: number;
  session_ends: number;
  playtime_s: number;
  revenue: Revenue;
}

/** The state columns of rollup_player_days under alias `a`, typed as DayRow reads them. */
export const daySelect = (a: string): string =>
  `${a}.platform, ${a}.app_version, ${a}.first_at, ${a}.first_event_id::text AS first_event_id, ${a}.events, ${a}.sessions, ` +
  `${a}.session_ends, ${a}.playtime_s::float8 AS playtime_s, ${a}.revenue`;

export function dayFromRow(r: DayRow): DayState {
  return {
    platform: r.platform,
    appVersion: r.app_version,
    first: { atMs: r.first_at.getTime(), id: r.first_event_id },
    events: r.events,
    sessions: r.sessions,
    sessionEnds: r.session_ends,
    playtimeS: r.playtime_s,
    revenue: r.revenue,
  };
}

export function dayRecord(gameId: string, playerId: string, day: string, d: DayState): unknown[] {
  return [gameId, playerId, day, d.platform, d.appVersion, new Date(d.first.atMs).toISOString(), d.first.id, d.events, d.sessions, d.sessionEnds, d.playtimeS, d.revenue];
}

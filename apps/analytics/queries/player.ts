// One player, for support: a summary from the rollups (batched over the request with DataLoader) and
// the raw timeline, newest first, paged by a keyset cursor on the player index of player_events.
import DataLoader from "dataloader";
import { badInput } from "../errors";
import type { Reader } from "../reader";

export interface PlayerSummary {
  firstDay: string;
  lastDay: string;
  activeDays: number;
  sessions: number;
  playtimeS: number;
  events: number;
  revenue: { currency: string; amountMinor: number }[];
  firstPurchaseAt: string | null;
}

interface SummaryRow {
  player_id: string;
  first_day: string;
  last_day: string;
  active_days: number;
  sessions: number;
  playtime_s: number;
  events: number;
  revenue: Record<string, number> | null;
  first_purchase_at: Date | null;
}

/** One loader per request and game: every summary the query asks for comes from one statement. */
export function summaryLoader(db: Reader, gameId: string, onBatch: (size: number) => void = () => undefined): DataLoader<string, PlayerSummary | null> {
  return new DataLoader<string, PlayerSummary | null>(async (ids) => {
    onBatch(ids.length);
    const rows = await db.rows<SummaryRow>(
      `SELECT p.player_id, to_char(p.first_day, 'YYYY-MM-DD') AS first_day, to_char(max(d.day), 'YYYY-MM-DD') AS last_day, count(*)::int AS active_days,
         sum(d.sessions)::float8 AS sessions, sum(d.playtime_s)::float8 AS playtime_s, sum(d.events)::float8 AS events, p.first_purchase_at,
         (SELECT jsonb_object_agg(k, v) FROM (SELECT r.key AS k, sum((r.value->>0)::bigint) AS v FROM rollup_player_days x, jsonb_each(x.revenue) r
           WHERE x.game_id = p.game_id AND x.player_id = p.player_id GROUP BY r.key) s) AS revenue
       FROM rollup_players p JOIN rollup_player_days d USING (game_id, player_id)
       WHERE p.game_id = $1 AND p.player_id = ANY($2::text[]) GROUP BY p.game_id, p.player_id, p.first_day, p.first_purchase_at`,
      [gameId, [...ids]],
    );
    const byId = new Map(rows.map((r) => [r.player_id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      if (r === undefined) return null;
      return {
        firstDay: r.first_day, lastDay: r.last_day, activeDays: r.active_days, sessions: r.sessions, playtimeS: r.playtime_s, events: r.events,
        revenue: Object.entries(r.revenue ?? {}).sort().map(([currency, amountMinor]) => ({ currency, amountMinor: Number(amountMinor) })),
        firstPurchaseAt: r.first_purchase_at?.toISOString() ?? null,
      };
    });
  }, { maxBatchSize: 500 });
}

export interface TimelinePage {
  events: { eventId: string; type: string; time: string; platform: string | null; appVersion: string | null; payload: string }[];
  nextCursor: string | null;
}

const encode = (time: string, id: string) => Buffer.from(`${time}|${id}`).toString("base64url");

function decode(cursor: string): [string, string] {
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (id === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(time) || !/^[0-9a-f-]{36}$/.test(id)) throw badInput("after", "not a cursor this API returned");
  return [time, id];
}

export async function timeline(db: Reader, gameId: string, playerId: string, first: number, after: string | null | undefined): Promise<TimelinePage> {
  if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput("first", `${first} is not a page size from 1 to 500`);
  const [time, id] = after == null ? ["infinity", "ffffffff-ffff-ffff-ffff-ffffffffffff"] : decode(after);
  const rows = await db.rows<{ event_id: string; event_type: string; time: string; platform: string | null; app_version: string | null; payload: unknown }>(
    `SELECT event_id::text, event_type, to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time, platform, app_version, payload
     FROM player_events WHERE game_id = $1 AND player_id = $2 AND (event_time, event_id) < ($3::timestamptz, $4::uuid)
     ORDER BY event_time DESC, event_id DESC LIMIT $5`,
    [gameId, playerId, time, id, first + 1],
  );
  const page = rows.slice(0, first);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => ({ eventId: r.event_id, type: r.event_type, time: r.time, platform: r.platform, appVersion: r.app_version, payload: JSON.stringify(r.payload) })),
    nextCursor: rows.length > first && last !== undefined ? encode(last.time, last.event_id) : null,
  };
}

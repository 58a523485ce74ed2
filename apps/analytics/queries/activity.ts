// Active players, windows and sessions, from rollup_game_days / rollup_game_windows / rollup_game_hours
// / rollup_session_lengths.
import { medianFromBins } from "../../shared/rollups/bins";
import { addDays, daysBetween } from "../../shared/rollups/model";
import { badInput } from "../errors";
import { bucketCount, DateRange, Granularity } from "../range";
import type { Reader } from "../reader";
import { checkGroups, Dimension, DimensionFilter, dimSql, Group, groupOf, GroupRow } from "./dims";

export interface MetricArgs {
  readonly range: DateRange;
  readonly granularity: Granularity;
  readonly breakdown: readonly Dimension[];
  readonly filter?: DimensionFilter | null;
}

export interface Limits {
  readonly maxGroups: number;
}

/** Days of a bucket that lie in the range (the divisor of daily means). */
export function daysInBucket(bucket: string, g: Exclude<Granularity, "HOUR">, r: DateRange): number {
  if (g === "DAY") return 1;
  const first = bucket < r.from ? r.from : bucket;
  const lastOfWeek = addDays(bucket, 6);
  const last = lastOfWeek > r.to ? r.to : lastOfWeek;
  return daysBetween(first, last) + 1;
}

const bucketSql = (g: Exclude<Granularity, "HOUR">, col = "day") =>
  g === "WEEK" ? `to_char(date_trunc('week', ${col})::date, 'YYYY-MM-DD')` : `to_char(${col}, 'YYYY-MM-DD')`;

interface DayRow extends GroupRow {
  bucket: string;
  dau: number;
  new_players: number;
  converted: number;
  sessions: number;
  session_ends: number;
  playtime_s: number;
}

/** Sums of rollup_game_days per bucket and group: the base of activePlayers, sessions and revenue. */
export async function gameDaySums(db: Reader, gameId: string, a: MetricArgs & { granularity: "DAY" | "WEEK" }, limits: Limits): Promise<DayRow[]> {
  const dims = dimSql(a.breakdown, a.filter, 3);
  const limit = limits.maxGroups * bucketCount(a.range, a.granularity) + 1;
  const rows = await db.rows<DayRow>(
    `SELECT ${[`${bucketSql(a.granularity)} AS bucket`, ...dims.select].join(", ")},
       sum(dau)::float8 AS dau, sum(new_players)::float8 AS new_players, sum(converted)::float8 AS converted, sum(sessions)::float8 AS sessions,
       sum(session_ends)::float8 AS session_ends, sum(playtime_s)::float8 AS playtime_s
     FROM rollup_game_days WHERE ${["game_id = $1", "day BETWEEN $2::date AND $3::date", ...dims.where].join(" AND ")}
     GROUP BY ${["bucket", ...dims.groupBy].join(", ")} ORDER BY ${["bucket", ...dims.groupBy].join(", ")} LIMIT ${limit}`,
    [gameId, a.range.from, a.range.to, ...dims.params],
  );
  checkGroups(rows, limits.maxGroups, limit);
  return rows;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export interface ActivePlayersPoint {
  bucket: string;
  group: Group;
  dau: number;
  newPlayers: number;
  returningPlayers: number;
  sessionsPerPlayer: number | null;
}

export async function activePlayers(db: Reader, gameId: string, a: MetricArgs, limits: Limits): Promise<ActivePlayersPoint[]> {
  if (a.granularity === "HOUR") throw badInput("granularity", "active players are counted per UTC day: use DAY or WEEK (eventCounts, sessions and revenue go by the hour)");
  const g = a.granularity;
  const rows = await gameDaySums(db, gameId, { ...a, granularity: g }, limits);
  return rows.map((r) => {
    const days = daysInBucket(r.bucket, g, a.range);
    return {
      bucket: r.bucket,
      group: groupOf(r),
      dau: r.dau / days,
      newPlayers: r.new_players,
      returningPlayers: (r.dau - r.new_players) / days,
      sessionsPerPlayer: ratio(r.sessions, r.dau),
    };
  });
}

export interface WindowPoint {
  day: string;
  dau: number;
  wau: number;
  mau: number;
  stickiness: number | null;
}

export async function activeWindows(db: Reader, gameId: string, range: DateRange): Promise<WindowPoint[]> {
  const rows = await db.rows<{ day: string; dau: number; wau: number; mau: number }>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(w.wau, 0) AS wau, coalesce(w.mau, 0) AS mau,
       coalesce((SELECT sum(g.dau) FROM rollup_game_days g WHERE g.game_id = $1 AND g.day = d.day), 0)::int AS dau
     FROM generate_series($2::date, $3::date, interval '1 day') AS d0(ts) CROSS JOIN LATERAL (SELECT d0.ts::date AS day) d
     LEFT JOIN rollup_game_windows w ON w.game_id = $1 AND w.day = d.day ORDER BY d.day`,
    [gameId, range.from, range.to],
  );
  return rows.map((r) => ({ ...r, stickiness: ratio(r.dau, r.mau) }));
}

export interface SessionsPoint {
  bucket: string;
  group: Group;
  sessions: number;
  avgLengthS: number | null;
  sessionsPerPlayer: number | null;
}

export async function sessions(db: Reader, gameId: string, a: MetricArgs, limits: Limits): Promise<SessionsPoint[]> {
  if (a.granularity !== "HOUR") {
    const rows = await gameDaySums(db, gameId, { ...a, granularity: a.granularity }, limits);
    return rows.map((r) => ({ bucket: r.bucket, group: groupOf(r), sessions: r.sessions, avgLengthS: ratio(r.playtime_s, r.session_ends), sessionsPerPlayer: ratio(r.sessions, r.dau) }));
  }
  if (a.breakdown.includes("IS_PAYING") || a.filter?.isPaying != null) throw badInput("breakdown", "IS_PAYING is kept per day: use DAY or WEEK granularity");
  const dims = dimSql(a.breakdown, a.filter, 3, false);
  const limit = limits.maxGroups * bucketCount(a.range, "HOUR") + 1;
  const rows = await db.rows<GroupRow & { bucket: string; sessions: number }>(
    `SELECT ${[`to_char(hour, 'YYYY-MM-DD"T"HH24:00:00"Z"') AS bucket`, ...dims.select].join(", ")}, sum(events)::float8 AS sessions
     FROM rollup_game_hours WHERE ${["game_id = $1", "hour >= $2::date", "hour < $3::date + 1", "event_type = 'session_start'", ...dims.where].join(" AND ")}
     GROUP BY ${["bucket", ...dims.groupBy].join(", ")} ORDER BY ${["bucket", ...dims.groupBy].join(", ")} LIMIT ${limit}`,
    [gameId, a.range.from, a.range.to, ...dims.params],
  );
  checkGroups(rows, limits.maxGroups, limit);
  return rows.map((r) => ({ bucket: r.bucket, group: groupOf(r), sessions: r.sessions, avgLengthS: null, sessionsPerPlayer: null }));
}

export interface SessionLengths {
  sessions: number;
  avgLengthS: number | null;
  medianLengthS: number | null;
}

export async function sessionLengths(db: Reader, gameId: string, range: DateRange): Promise<SessionLengths> {
  const bins = await db.rows<{ bin: number; n: number }>(
    "SELECT bin, sum(sessions)::float8 AS n FROM rollup_session_lengths WHERE game_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY bin",
    [gameId, range.from, range.to],
  );
  const [t] = await db.rows<{ ends: number; playtime: number; starts: number }>(
    `SELECT coalesce(sum(session_ends), 0)::float8 AS ends, coalesce(sum(playtime_s), 0)::float8 AS playtime, coalesce(sum(sessions), 0)::float8 AS starts
     FROM rollup_game_days WHERE game_id = $1 AND day BETWEEN $2::date AND $3::date`,
    [gameId, range.from, range.to],
  );
  return { sessions: t.starts, avgLengthS: ratio(t.playtime, t.ends), medianLengthS: medianFromBins(new Map(bins.map((b) => [b.bin, b.n]))) ?? null };
}


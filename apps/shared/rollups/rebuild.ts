// Recomputes a game's rollups for a set of days from player_events, in SQL written independently of
// the live path (which plans in JS): a test compares the two row for row. Holds the game's rollup lock
// exclusively, so live batches of that game wait until the rebuild commits.
import type { PoolClient } from "pg";
import { SESSION_BIN_EDGES } from "./bins";
import { gameLockKey } from "./locks";
import { addDays } from "./model";

export interface RebuildOptions {
  /** Leave this player's raw rows out (GDPR erasure, whatever order the raw store is erased in). */
  readonly excludePlayer?: string;
}

export interface RebuildResult {
  readonly days: number;
  readonly playerDays: number;
  readonly players: number;
}

// $1 game, $2 days (date[]), $3 excluded player ('' for none), $4/$5 event_time bounds (partition pruning).
const RAW = `player_events e WHERE e.game_id = $1 AND e.event_time >= $4::timestamptz AND e.event_time < $5::timestamptz
  AND e.event_day = ANY($2::date[]) AND e.player_id <> $3`;

const PLAYER_DAYS = `
INSERT INTO rollup_player_days (game_id, player_id, day, platform, app_version, first_at, first_event_id, events, sessions, session_ends, playtime_s, revenue)
SELECT e.game_id, e.player_id, e.event_day,
  (array_agg(coalesce(e.platform, '') ORDER BY e.event_time, e.event_id))[1],
  (array_agg(coalesce(e.app_version, '') ORDER BY e.event_time, e.event_id))[1],
  min(e.event_time), (array_agg(e.event_id ORDER BY e.event_time, e.event_id))[1],
  count(*), count(*) FILTER (WHERE e.event_type = 'session_start'), count(*) FILTER (WHERE e.event_type = 'session_end'),
  coalesce(sum((e.payload->>'length_s')::bigint) FILTER (WHERE e.event_type = 'session_end'), 0),
  coalesce((SELECT jsonb_object_agg(c.currency, jsonb_build_array(c.minor, c.n)) FROM (
     SELECT coalesce(x.payload->>'currency', '') AS currency, sum(coalesce((x.payload->>'amount_minor')::bigint, 0)) AS minor, count(*) AS n
     FROM player_events x WHERE x.game_id = e.game_id AND x.player_id = e.player_id AND x.event_day = e.event_day
       AND x.event_time >= $4::timestamptz AND x.event_time < $5::timestamptz AND x.event_type = 'purchase' GROUP BY 1) c), '{}'::jsonb)
FROM ${RAW} GROUP BY e.game_id, e.player_id, e.event_day`;

// Player-level facts come from all of a player's events, not only the rebuilt days.
const PLAYERS = `
WITH touched AS (
  SELECT DISTINCT player_id FROM rollup_player_days WHERE game_id = $1 AND day = ANY($2::date[])
), facts AS (
  SELECT t.player_id, f.first_day, fp.event_time AS at, fp.event_id AS id, fp.currency, fp.minor
  FROM touched t
  CROSS JOIN LATERAL (SELECT min(x.event_day) AS first_day FROM player_events x WHERE x.game_id = $1 AND x.player_id = t.player_id) f
  LEFT JOIN LATERAL (
    SELECT x.event_time, x.event_id, coalesce(x.payload->>'currency', '') AS currency, coalesce((x.payload->>'amount_minor')::bigint, 0) AS minor
    FROM player_events x WHERE x.game_id = $1 AND x.player_id = t.player_id AND x.event_type = 'purchase'
    ORDER BY x.event_time, x.event_id LIMIT 1) fp ON true
)
INSERT INTO rollup_players AS p (game_id, player_id, first_day, first_purchase_at, first_purchase_id, first_purchase_currency, first_purchase_minor)
SELECT $1, player_id, first_day, at, id, currency, minor FROM facts ORDER BY player_id
ON CONFLICT (game_id, player_id) DO UPDATE SET first_day = EXCLUDED.first_day, first_purchase_at = EXCLUDED.first_purchase_at,
  first_purchase_id = EXCLUDED.first_purchase_id, first_purchase_currency = EXCLUDED.first_purchase_currency,
  first_purchase_minor = EXCLUDED.first_purchase_minor`;

const FP_DAY = "(p.first_purchase_at AT TIME ZONE 'UTC')::date";
const PD_JOIN = "rollup_player_days d JOIN rollup_players p USING (game_id, player_id) WHERE d.game_id = $1 AND d.day = ANY($2::date[])";

const GAME_DAYS = `
INSERT INTO rollup_game_days
SELECT d.game_id, d.day, d.platform, d.app_version, coalesce(${FP_DAY} <= d.day, false),
  count(*), count(*) FILTER (WHERE p.first_day = d.day), count(*) FILTER (WHERE ${FP_DAY} = d.day),
  sum(d.sessions), sum(d.session_ends), sum(d.playtime_s), sum(d.events)
FROM ${PD_JOIN} GROUP BY 1, 2, 3, 4, 5`;

const REVENUE = `
INSERT INTO rollup_game_day_revenue
SELECT d.game_id, d.day, d.platform, d.app_version, r.key,
  sum((r.value->>0)::bigint), sum((r.value->>1)::bigint), count(*),
  sum(CASE WHEN ${FP_DAY} = d.day AND p.first_purchase_currency = r.key THEN p.first_purchase_minor ELSE 0 END)
FROM ${PD_JOIN.replace(" WHERE", " CROSS JOIN jsonb_each(d.revenue) r WHERE")} GROUP BY 1, 2, 3, 4, 5`;

const RETENTION = `
INSERT INTO rollup_retention SELECT d.game_id, p.first_day, d.day, count(*) FROM ${PD_JOIN} GROUP BY 1, 2, 3`;

// Distinct players active in the W days ending on d, for every d a rebuilt day's activity reaches
// ($2 here: those days). Each player-day covers [max(day, previous day + W), day + W - 1] (the part
// no earlier day of the player covered); counting +1/-1 at the ends and summing gives each d exactly.
const WINDOWS = `
WITH pd AS (
  SELECT player_id, day, lag(day) OVER (PARTITION BY player_id ORDER BY day) AS prev
  FROM rollup_player_days WHERE game_id = $1 AND day BETWEEN $3::date - 29 AND $4::date
), edges AS (
  SELECT w, greatest(day, prev + w) AS d, 1 AS c FROM pd, (VALUES (7), (30)) AS ws(w) WHERE greatest(day, prev + w) <= day + w - 1
  UNION ALL
  SELECT w, day + w, -1 FROM pd, (VALUES (7), (30)) AS ws(w) WHERE greatest(day, prev + w) <= day + w - 1
), de AS (
  SELECT d, sum(c) FILTER (WHERE w = 7) AS c7, sum(c) FILTER (WHERE w = 30) AS c30 FROM edges GROUP BY d
), series AS (
  SELECT g.d::date AS d, sum(coalesce(de.c7, 0)) OVER (ORDER BY g.d) AS wau, sum(coalesce(de.c30, 0)) OVER (ORDER BY g.d) AS mau
  FROM generate_series($3::date - 29, $4::date, interval '1 day') AS g(d) LEFT JOIN de ON de.d = g.d::date
)
INSERT INTO rollup_game_windows SELECT $1, d, wau, mau FROM series WHERE d = ANY($2::date[]) AND mau > 0`;

/** The purely additive tables, straight from the raw rows. */
const ADDITIVE: readonly (readonly [table: string, select: string])[] = [
  ["rollup_game_hours", `SELECT e.game_id, date_trunc('hour', e.event_time, 'UTC'), e.event_type, coalesce(e.platform, ''), coalesce(e.app_version, ''),
     CASE WHEN e.event_type = 'purchase' THEN coalesce(e.payload->>'currency', '') ELSE '' END, count(*),
     coalesce(sum((e.payload->>'amount_minor')::bigint) FILTER (WHERE e.event_type = 'purchase'), 0)
   FROM ${RAW} GROUP BY 1, 2, 3, 4, 5, 6`],
  ["rollup_session_lengths", `SELECT e.game_id, e.event_day, width_bucket(coalesce((e.payload->>'length_s')::int, 0), $6::int[]), count(*)
   FROM ${RAW} AND e.event_type = 'session_end' GROUP BY 1, 2, 3`],
  ["rollup_progression", `SELECT e.game_id, e.event_day,
     coalesce((SELECT string_agg(l, ':' ORDER BY i) FROM jsonb_array_elements_text(e.payload->'levels') WITH ORDINALITY AS a(l, i)), ''),
     count(*) FILTER (WHERE e.payload->>'status' = 'start'), count(*) FILTER (WHERE e.payload->>'status' = 'fail'),
     count(*) FILTER (WHERE e.payload->>'status' = 'complete'),
     coalesce(sum((e.payload->>'attempt')::bigint) FILTER (WHERE e.payload->>'status' = 'complete'), 0),
     count(e.payload->'attempt') FILTER (WHERE e.payload->>'status' = 'complete')
   FROM ${RAW} AND e.event_type = 'progression' GROUP BY 1, 2, 3`],
  ["rollup_resources", `SELECT e.game_id, e.event_day, coalesce(e.payload->>'flow', ''), coalesce(e.payload->>'currency', ''), coalesce(e.payload->>'item_type', ''),
     coalesce(sum((e.payload->>'amount')::numeric), 0), count(*)
   FROM ${RAW} AND e.event_type = 'resource' GROUP BY 1, 2, 3, 4, 5`],
  ["rollup_design", `SELECT e.game_id, e.event_day, coalesce(e.payload->>'design_id', ''), count(*), coalesce(sum((e.payload->>'value')::numeric), 0), count(e.payload->'value')
   FROM ${RAW} AND e.event_type = 'design' GROUP BY 1, 2, 3`],
  ["rollup_errors", `SELECT e.game_id, e.event_day, coalesce(e.payload->>'severity', ''), count(*) FROM ${RAW} AND e.event_type = 'error' GROUP BY 1, 2, 3`],
];

const BY_DAY = ["rollup_game_days", "rollup_game_day_revenue", "rollup_retention", "rollup_session_lengths", "rollup_progression", "rollup_resources", "rollup_design", "rollup_errors"];

/** Rebuilds `days` (YYYY-MM-DD) of one game; the caller runs it in a transaction. */
export async function rebuildDays(client: PoolClient, gameId: string, days: readonly string[], opts: RebuildOptions = {}): Promise<RebuildResult> {
  const sorted = [...new Set(days)].sort();
  if (sorted.length === 0) return { days: 0, playerDays: 0, players: 0 };
  await client.query("SET LOCAL TIME ZONE 'UTC'");
  await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [gameLockKey(gameId)]);
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  const raw = [gameId, sorted, opts.excludePlayer ?? "", `${first}T00:00:00Z`, `${addDays(last, 1)}T00:00:00Z`];
  const dayArgs = [gameId, sorted];
  await client.query("DELETE FROM rollup_player_days WHERE game_id = $1 AND day = ANY($2::date[])", dayArgs);
  const pd = await client.query(PLAYER_DAYS, raw);
  const pl = await client.query(PLAYERS, dayArgs);
  // Players left without any stored day (all their events were erased or excluded) go.
  await client.query("DELETE FROM rollup_players p WHERE game_id = $1 AND NOT EXISTS (SELECT 1 FROM rollup_player_days d WHERE d.game_id = p.game_id AND d.player_id = p.player_id)", [gameId]);
  for (const table of BY_DAY) await client.query(`DELETE FROM ${table} WHERE game_id = $1 AND day = ANY($2::date[])`, dayArgs);
  await client.query("DELETE FROM rollup_game_hours WHERE game_id = $1 AND (hour AT TIME ZONE 'UTC')::date = ANY($2::date[]) AND hour >= $3::timestamptz AND hour < $4::timestamptz", [gameId, sorted, raw[3], raw[4]]);
  for (const q of [GAME_DAYS, REVENUE, RETENTION]) await client.query(q, dayArgs);
  for (const [table, select] of ADDITIVE) await client.query(`INSERT INTO ${table} ${select}`, select.includes("$6") ? [...raw, SESSION_BIN_EDGES] : raw);
  // Windows: every day whose 7- or 30-day window holds a rebuilt day.
  const windowDays = [...new Set(sorted.flatMap((d) => Array.from({ length: 30 }, (_, i) => addDays(d, i))))].sort();
  await client.query("DELETE FROM rollup_game_windows WHERE game_id = $1 AND day = ANY($2::date[])", [gameId, windowDays]);
  await client.query(WINDOWS, [gameId, windowDays, windowDays[0], windowDays[windowDays.length - 1]]);
  return { days: sorted.length, playerDays: pd.rowCount ?? 0, players: pl.rowCount ?? 0 };
}

/** Every UTC day from `from` to `to`, inclusive. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// The dashboard's questions, each answered twice: from the rollups (the API's own query modules) and
// by a raw scan of player_events written the obvious way. $1 game, $2 first day, $3 last day.
import { activePlayers, activeWindows, sessionLengths } from "../../apps/analytics/queries/activity";
import { eventCounts, progression } from "../../apps/analytics/queries/content";
import { retention } from "../../apps/analytics/queries/retention";
import { revenue } from "../../apps/analytics/queries/revenue";
import type { DateRange } from "../../apps/analytics/range";
import type { Reader } from "../../apps/analytics/reader";
import { addDays } from "../../apps/shared/rollups/model";

export interface Question {
  readonly name: string;
  readonly rollup: (db: Reader, game: string, r: DateRange) => Promise<unknown>;
  readonly raw: string;
  /** Shifts the range passed to the raw scan (hourly counts look at the last 7 days). */
  readonly rawRange?: (r: DateRange) => DateRange;
}

const limits = { maxGroups: 200 };
const RAW_RANGE = "game_id = $1 AND event_time >= $2::date AND event_time < $3::date + 1";
const lastWeek = (r: DateRange): DateRange => ({ from: addDays(r.to, -6), to: r.to });

export const QUESTIONS: readonly Question[] = [
  {
    name: "DAU per day, 30 days",
    rollup: (db, g, r) => activePlayers(db, g, { range: r, granularity: "DAY", breakdown: [] }, limits),
    raw: `SELECT event_day, count(DISTINCT player_id) FROM player_events WHERE ${RAW_RANGE} GROUP BY 1 ORDER BY 1`,
  },
  {
    name: "WAU/MAU/stickiness per day, 30 days",
    rollup: (db, g, r) => activeWindows(db, g, r),
    raw: `WITH pd AS (SELECT DISTINCT player_id, event_day FROM player_events WHERE game_id = $1 AND event_time >= $2::date - 29 AND event_time < $3::date + 1)
      SELECT g.d::date, count(DISTINCT pd.player_id) FILTER (WHERE pd.event_day > g.d::date - 7), count(DISTINCT pd.player_id)
      FROM generate_series($2::date, $3::date, interval '1 day') g(d) JOIN pd ON pd.event_day BETWEEN g.d::date - 29 AND g.d::date GROUP BY 1 ORDER BY 1`,
  },
  {
    name: "revenue, ARPDAU, ARPPU per day and currency, 30 days",
    rollup: (db, g, r) => revenue(db, g, { range: r, granularity: "DAY", breakdown: [] }, limits),
    raw: `WITH dau AS (SELECT event_day, count(DISTINCT player_id) AS n FROM player_events WHERE ${RAW_RANGE} GROUP BY 1),
      rev AS (SELECT event_day, payload->>'currency' AS c, sum((payload->>'amount_minor')::bigint) AS gross, count(DISTINCT player_id) AS payers
        FROM player_events WHERE ${RAW_RANGE} AND event_type = 'purchase' GROUP BY 1, 2)
      SELECT rev.*, rev.gross::float8 / dau.n AS arpdau, rev.gross::float8 / rev.payers AS arppu FROM rev JOIN dau USING (event_day) ORDER BY 1, 2`,
  },
  {
    name: "retention D1/D7/D30, 30 cohorts",
    rollup: (db, g, r) => retention(db, g, r, [1, 7, 30], addDays(r.to, 1)),
    raw: `WITH first AS (SELECT player_id, min(event_day) AS c FROM player_events WHERE game_id = $1 GROUP BY 1),
      act AS (SELECT DISTINCT player_id, event_day FROM player_events WHERE game_id = $1)
      SELECT c, event_day - c AS n, count(*) FROM first JOIN act USING (player_id)
      WHERE c BETWEEN $2::date AND $3::date AND event_day - c IN (0, 1, 7, 30) GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  {
    name: "progression funnel per level, 30 days",
    rollup: (db, g, r) => progression(db, g, r, null, 50),
    raw: `SELECT payload->>'levels', count(*) FILTER (WHERE payload->>'status' = 'start'), count(*) FILTER (WHERE payload->>'status' = 'fail'),
      count(*) FILTER (WHERE payload->>'status' = 'complete') FROM player_events WHERE ${RAW_RANGE} AND event_type = 'progression' GROUP BY 1 ORDER BY 2 DESC LIMIT 50`,
  },
  {
    name: "session length average and median, 30 days",
    rollup: (db, g, r) => sessionLengths(db, g, r),
    raw: `SELECT count(*), avg((payload->>'length_s')::int), percentile_cont(0.5) WITHIN GROUP (ORDER BY (payload->>'length_s')::int)
      FROM player_events WHERE ${RAW_RANGE} AND event_type = 'session_end'`,
  },
  {
    name: "DAU by platform per week, 30 days",
    rollup: (db, g, r) => activePlayers(db, g, { range: r, granularity: "WEEK", breakdown: ["PLATFORM"] }, limits),
    raw: `SELECT date_trunc('week', event_day), platform, count(DISTINCT (player_id, event_day)) FROM player_events WHERE ${RAW_RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  {
    name: "events per hour by type, last 7 days",
    rollup: (db, g, r) => eventCounts(db, g, lastWeek(r), "HOUR"),
    raw: `SELECT date_trunc('hour', event_time), event_type, count(*) FROM player_events WHERE ${RAW_RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
    rawRange: lastWeek,
  },
];

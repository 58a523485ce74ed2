// Progression funnels, resource flows, design and error events, event counts by type.
import { badInput } from "../errors";
import type { DateRange, Granularity } from "../range";
import type { Reader } from "../reader";

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const RANGE = "game_id = $1 AND day BETWEEN $2::date AND $3::date";

function checkCount(field: string, n: number, max: number): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(field, `${n} is not a count from 1 to ${max}`);
  return n;
}

export interface FunnelStep {
  path: string;
  starts: number;
  fails: number;
  completes: number;
  failRate: number | null;
  completionRate: number | null;
  avgAttempts: number | null;
}

export async function progression(db: Reader, gameId: string, range: DateRange, pathPrefix: string | null | undefined, first: number): Promise<FunnelStep[]> {
  const like = `${(pathPrefix ?? "").replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.rows<{ path: string; starts: number; fails: number; completes: number; attempts_sum: number; attempts_n: number }>(
    `SELECT path, sum(starts)::float8 AS starts, sum(fails)::float8 AS fails, sum(completes)::float8 AS completes,
       sum(attempts_sum)::float8 AS attempts_sum, sum(attempts_n)::float8 AS attempts_n
     FROM rollup_progression WHERE ${RANGE} AND path LIKE $4 GROUP BY path ORDER BY starts DESC, path LIMIT $5`,
    [gameId, range.from, range.to, like, checkCount("first", first, 500)],
  );
  return rows.map((r) => ({
    path: r.path, starts: r.starts, fails: r.fails, completes: r.completes,
    failRate: ratio(r.fails, r.starts), completionRate: ratio(r.completes, r.starts), avgAttempts: ratio(r.attempts_sum, r.attempts_n),
  }));
}

export async function resourceFlows(db: Reader, gameId: string, range: DateRange) {
  return db.rows<{ flow: string; currency: string; itemType: string; amount: number; events: number }>(
    `SELECT flow, currency, item_type AS "itemType", sum(amount)::float8 AS amount, sum(events)::float8 AS events
     FROM rollup_resources WHERE ${RANGE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT 1000`,
    [gameId, range.from, range.to],
  );
}

export async function designEvents(db: Reader, gameId: string, range: DateRange, top: number) {
  const rows = await db.rows<{ designId: string; events: number; value_sum: number; value_n: number }>(
    `SELECT design_id AS "designId", sum(events)::float8 AS events, sum(value_sum)::float8 AS value_sum, sum(value_n)::float8 AS value_n
     FROM rollup_design WHERE ${RANGE} GROUP BY 1 ORDER BY events DESC, 1 LIMIT $4`,
    [gameId, range.from, range.to, checkCount("top", top, 500)],
  );
  return rows.map((r) => ({ designId: r.designId, events: r.events, avgValue: ratio(r.value_sum, r.value_n) }));
}

export async function errorEvents(db: Reader, gameId: string, range: DateRange) {
  return db.rows<{ severity: string; events: number }>(
    `SELECT severity, sum(events)::float8 AS events FROM rollup_errors WHERE ${RANGE} GROUP BY 1 ORDER BY events DESC, 1`,
    [gameId, range.from, range.to],
  );
}

export async function eventCounts(db: Reader, gameId: string, range: DateRange, g: Granularity) {
  const bucket =
    g === "HOUR" ? `to_char(hour, 'YYYY-MM-DD"T"HH24:00:00"Z"')`
    : g === "DAY" ? "to_char(hour, 'YYYY-MM-DD')"
    : "to_char(date_trunc('week', hour)::date, 'YYYY-MM-DD')";
  return db.rows<{ bucket: string; eventType: string; events: number }>(
    `SELECT ${bucket} AS bucket, event_type AS "eventType", sum(events)::float8 AS events FROM rollup_game_hours
     WHERE game_id = $1 AND hour >= $2::date AND hour < $3::date + 1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [gameId, range.from, range.to],
  );
}

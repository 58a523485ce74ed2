// Revenue per currency (minor units, never mixed), ARPDAU, ARPPU and conversion, from
// rollup_game_day_revenue joined in JS with the day counters of the same buckets and groups.
import { bucketCount } from "../range";
import type { Reader } from "../reader";
import { gameDaySums, type Limits, type MetricArgs } from "./activity";
import { daysInBucket } from "./activity";
import { checkGroups, dimSql, Group, groupKey, groupOf, GroupRow } from "./dims";

export interface RevenuePoint {
  bucket: string;
  group: Group;
  currency: string;
  grossMinor: number;
  purchases: number;
  payingPlayers: number | null;
  convertedPlayers: number | null;
  firstTimeRevenueMinor: number;
  arpdauMinor: number | null;
  arppuMinor: number | null;
  conversion: number | null;
}

interface RevenueRow extends GroupRow {
  bucket: string;
  currency: string;
  gross: number;
  purchases: number;
  payers: number;
  first_time: number;
}

const ratio = (a: number, b: number | null | undefined): number | null => (b === null || b === undefined || b === 0 ? null : a / b);

async function hourly(db: Reader, gameId: string, a: MetricArgs, limits: Limits): Promise<RevenuePoint[]> {
  const dims = dimSql(a.breakdown.filter((d) => d !== "IS_PAYING"), a.filter === undefined || a.filter === null ? a.filter : { ...a.filter, isPaying: null }, 3, false);
  if (a.filter?.isPaying === false) return [];
  const limit = limits.maxGroups * bucketCount(a.range, "HOUR") + 1;
  const rows = await db.rows<GroupRow & { bucket: string; currency: string; gross: number; purchases: number }>(
    `SELECT ${[`to_char(hour, 'YYYY-MM-DD"T"HH24:00:00"Z"') AS bucket`, ...dims.select].join(", ")}, currency, sum(amount)::float8 AS gross, sum(events)::float8 AS purchases
     FROM rollup_game_hours WHERE ${["game_id = $1", "hour >= $2::date", "hour < $3::date + 1", "event_type = 'purchase'", ...dims.where].join(" AND ")}
     GROUP BY ${["bucket", ...dims.groupBy, "currency"].join(", ")} ORDER BY ${["bucket", ...dims.groupBy, "currency"].join(", ")} LIMIT ${limit}`,
    [gameId, a.range.from, a.range.to, ...dims.params],
  );
  checkGroups(rows, limits.maxGroups, limit);
  const paying = a.breakdown.includes("IS_PAYING") ? true : null;
  return rows.map((r) => ({
    bucket: r.bucket, group: { ...groupOf(r), isPaying: paying }, currency: r.currency, grossMinor: r.gross, purchases: r.purchases,
    payingPlayers: null, convertedPlayers: null, firstTimeRevenueMinor: 0, arpdauMinor: null, arppuMinor: null, conversion: null,
  }));
}

export async function revenue(db: Reader, gameId: string, a: MetricArgs, limits: Limits): Promise<RevenuePoint[]> {
  if (a.granularity === "HOUR") return hourly(db, gameId, a, limits);
  const g = a.granularity;
  if (a.filter?.isPaying === false) return [];
  const dims = dimSql(a.breakdown, a.filter === undefined || a.filter === null ? a.filter : { ...a.filter, isPaying: null }, 3, false);
  const bucket = g === "WEEK" ? "to_char(date_trunc('week', day)::date, 'YYYY-MM-DD')" : "to_char(day, 'YYYY-MM-DD')";
  const limit = limits.maxGroups * bucketCount(a.range, g) * 4 + 1;
  const [rows, days] = await Promise.all([
    db.rows<RevenueRow>(
      `SELECT ${[`${bucket} AS bucket`, ...dims.select].join(", ")}, currency, sum(gross_minor)::float8 AS gross, sum(purchases)::float8 AS purchases,
         sum(payers)::float8 AS payers, sum(first_time_minor)::float8 AS first_time
       FROM rollup_game_day_revenue WHERE ${["game_id = $1", "day BETWEEN $2::date AND $3::date", ...dims.where].join(" AND ")}
       GROUP BY ${["bucket", ...dims.groupBy, "currency"].join(", ")} ORDER BY ${["bucket", ...dims.groupBy, "currency"].join(", ")} LIMIT ${limit}`,
      [gameId, a.range.from, a.range.to, ...dims.params],
    ),
    gameDaySums(db, gameId, { ...a, granularity: g }, limits),
  ]);
  checkGroups(rows, limits.maxGroups, limit);
  const base = new Map(days.map((d) => [`${d.bucket}\u0002${groupKey(groupOf(d))}`, d]));
  return rows.map((r) => {
    const group = groupOf(r);
    const d = base.get(`${r.bucket}\u0002${groupKey(group)}`);
    const meanDau = d === undefined ? null : d.dau / daysInBucket(r.bucket, g, a.range);
    return {
      bucket: r.bucket,
      group,
      currency: r.currency,
      grossMinor: r.gross,
      purchases: r.purchases,
      payingPlayers: r.payers,
      convertedPlayers: d?.converted ?? 0,
      firstTimeRevenueMinor: r.first_time,
      // Means per day of the bucket, so a week's ARPDAU reads like a day's.
      arpdauMinor: ratio(r.gross / daysInBucket(r.bucket, g, a.range), meanDau),
      arppuMinor: ratio(r.gross, r.payers),
      conversion: ratio(d?.converted ?? 0, meanDau === null ? null : meanDau * daysInBucket(r.bucket, g, a.range)),
    };
  });
}

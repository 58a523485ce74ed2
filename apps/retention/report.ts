// `retention report`: what is hot (partitions inside the window), what is archived (per the job's
// record of verified archives) and what is pending (expired partitions still in PostgreSQL, and why).
import type { Pool } from "pg";
import { firstHotDay } from "../shared/archive/layout";
import { listPartitions } from "./partitions";

export interface Report {
  readonly today: string;
  readonly hotDays: number;
  readonly firstHotDay: string;
  readonly hot: { readonly partitions: number; readonly bytes: number; readonly oldest?: string; readonly newest?: string };
  readonly archived: { readonly days: number; readonly games: number; readonly rows: number; readonly bytes: number; readonly dropped: number; readonly oldest?: string; readonly newest?: string };
  readonly pending: readonly { readonly partition: string; readonly day: string; readonly bytes: number; readonly reason: string }[];
}

export async function buildReport(pool: Pool, today: string, hotDays: number): Promise<Report> {
  const first = firstHotDay(today, hotDays);
  const parts = await listPartitions(pool);
  const sizes = new Map(
    (await pool.query<{ name: string; bytes: string }>("SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relname = ANY($1)", [parts.map((p) => p.name)])).rows.map((r) => [r.name, Number(r.bytes)]),
  );
  const hot = parts.filter((p) => p.day >= first);
  const reasons = new Map((await pool.query<{ partition: string; reason: string }>("SELECT partition, reason FROM retention_pending")).rows.map((r) => [r.partition, r.reason]));
  const a = (
    await pool.query<{ days: string; games: string; rows: string; bytes: string; dropped: string; oldest: string | null; newest: string | null }>(
      `SELECT count(*) AS days, count(DISTINCT game_id) AS games, coalesce(sum(rows), 0) AS rows, coalesce(sum(bytes), 0) AS bytes,
              count(*) FILTER (WHERE dropped_at IS NOT NULL) AS dropped, min(day)::text AS oldest, max(day)::text AS newest FROM retention_archives`,
    )
  ).rows[0];
  return {
    today,
    hotDays,
    firstHotDay: first,
    hot: { partitions: hot.length, bytes: hot.reduce((n, p) => n + (sizes.get(p.name) ?? 0), 0), oldest: hot[0]?.day, newest: hot.at(-1)?.day },
    archived: { days: Number(a.days), games: Number(a.games), rows: Number(a.rows), bytes: Number(a.bytes), dropped: Number(a.dropped), oldest: a.oldest ?? undefined, newest: a.newest ?? undefined },
    pending: parts
      .filter((p) => p.day < first)
      .map((p) => ({ partition: p.name, day: p.day, bytes: sizes.get(p.name) ?? 0, reason: reasons.get(p.name) ?? "expired; not processed by a run yet" })),
  };
}

const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;

export function formatReport(r: Report): string {
  const lines = [
    `retention report (today ${r.today} UTC, hot window ${r.hotDays} days: from ${r.firstHotDay})`,
    `  hot       ${r.hot.partitions} daily partitions in PostgreSQL, ${mb(r.hot.bytes)}${r.hot.oldest === undefined ? "" : ` (${r.hot.oldest} .. ${r.hot.newest})`}`,
    `  archived  ${r.archived.days} game-days of ${r.archived.games} games, ${r.archived.rows} rows, ${mb(r.archived.bytes)} of Parquet in S3` +
      (r.archived.oldest === undefined ? "" : ` (${r.archived.oldest} .. ${r.archived.newest}); ${r.archived.dropped} of them dropped from PostgreSQL`),
    `  pending   ${r.pending.length} expired partitions still in PostgreSQL`,
    ...r.pending.map((p) => `    ${p.partition} (${mb(p.bytes)}): ${p.reason}`),
  ];
  return `${lines.join("\n")}\n`;
}

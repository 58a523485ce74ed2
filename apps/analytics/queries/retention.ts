// Classic DN retention and the cohort table (first day x day N), from rollup_retention.
import { addDays } from "../../shared/rollups/model";
import { badInput } from "../errors";
import type { DateRange } from "../range";
import type { Reader } from "../reader";

export interface RetentionTable {
  days: number[];
  cohorts: { day: string; size: number; retained: (number | null)[]; rates: (number | null)[] }[];
  classic: (number | null)[];
}

export function checkRetentionDays(days: readonly number[]): number[] {
  if (days.length === 0 || days.length > 60) throw badInput("days", `give 1 to 60 day numbers; got ${days.length}`);
  for (const d of days) if (!Number.isInteger(d) || d < 0 || d > 365) throw badInput("days", `${d} is not a day number from 0 to 365`);
  return [...new Set(days)].sort((a, b) => a - b);
}

/** `today`: the current UTC day; a cohort has reached day N when cohort + N is before today (a full day). */
export async function retention(db: Reader, gameId: string, cohorts: DateRange, days: readonly number[], today: string): Promise<RetentionTable> {
  const ns = checkRetentionDays(days);
  const rows = await db.rows<{ cohort: string; n: number; retained: number }>(
    `SELECT to_char(cohort_day, 'YYYY-MM-DD') AS cohort, (day - cohort_day) AS n, retained FROM rollup_retention
     WHERE game_id = $1 AND cohort_day BETWEEN $2::date AND $3::date AND (day - cohort_day) = ANY($4::int[]) ORDER BY 1, 2`,
    [gameId, cohorts.from, cohorts.to, [0, ...ns]],
  );
  const byCohort = new Map<string, Map<number, number>>();
  for (const r of rows) byCohort.set(r.cohort, (byCohort.get(r.cohort) ?? new Map()).set(r.n, r.retained));
  const sums = ns.map(() => ({ retained: 0, size: 0 }));
  const table = [...byCohort].map(([day, m]) => {
    const size = m.get(0) ?? 0;
    const retained = ns.map((n, i) => {
      if (addDays(day, n) >= today) return null;
      const v = m.get(n) ?? 0;
      sums[i].retained += v;
      sums[i].size += size;
      return v;
    });
    return { day, size, retained, rates: retained.map((v) => (v === null || size === 0 ? null : v / size)) };
  });
  return { days: ns, cohorts: table, classic: sums.map((s) => (s.size === 0 ? null : s.retained / s.size)) };
}

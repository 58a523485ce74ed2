// Pure checks and bucket arithmetic for the time arguments every metric takes.
import { addDays, daysBetween } from "../shared/rollups/model";
import { badInput } from "./errors";

export type Granularity = "HOUR" | "DAY" | "WEEK";

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(field: string, v: string): string {
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw badInput(field, `"${v}" is not a UTC day YYYY-MM-DD`);
  }
  return v;
}

/** Monday of the ISO week holding `day` (PostgreSQL's date_trunc('week')). */
export function weekOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

export function bucketOf(day: string, g: Exclude<Granularity, "HOUR">): string {
  return g === "WEEK" ? weekOf(day) : day;
}

export function bucketCount(r: DateRange, g: Granularity): number {
  const days = daysBetween(r.from, r.to) + 1;
  if (g === "HOUR") return days * 24;
  if (g === "DAY") return days;
  return daysBetween(weekOf(r.from), weekOf(r.to)) / 7 + 1;
}

/** Validates a range (inclusive UTC days) and the range x granularity cap. */
export function checkRange(arg: string, r: DateRange, g: Granularity, maxBuckets: number): DateRange {
  const from = checkDay(`${arg}.from`, r.from);
  const to = checkDay(`${arg}.to`, r.to);
  if (from > to) throw badInput(arg, `from ${from} is after to ${to}`);
  const n = bucketCount({ from, to }, g);
  if (n > maxBuckets) {
    throw badInput(arg, `${from}..${to} at ${g} granularity is ${n} buckets; at most ${maxBuckets} (use a coarser granularity or a shorter range)`);
  }
  return { from, to };
}

/** The range is over: no bucket in it can still receive on-time events (late ones invalidate the cache). */
export function isClosed(r: DateRange, nowMs: number): boolean {
  return Date.parse(`${addDays(r.to, 1)}T00:00:00Z`) <= nowMs;
}

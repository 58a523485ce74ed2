// The overview's choices live in the URL (shareable, back button works): game, range, granularity, filters.
import { type Granularity, isDay, lastDays, type Range } from "./dates";

export interface Filters {
  readonly range: Range;
  readonly granularity: Granularity;
  readonly platform: readonly string[];
  readonly appVersion: readonly string[];
}

const GRANULARITIES: readonly Granularity[] = ["HOUR", "DAY", "WEEK"];
const listOf = (s: string | null): string[] => (s ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");

export function readFilters(params: URLSearchParams): Filters {
  const fallback = lastDays(7);
  const from = params.get("from");
  const to = params.get("to");
  const g = params.get("granularity") as Granularity | null;
  return {
    range: isDay(from) && isDay(to) && from <= to ? { from, to } : fallback,
    granularity: g !== null && GRANULARITIES.includes(g) ? g : "DAY",
    platform: listOf(params.get("platform")),
    appVersion: listOf(params.get("appVersion")),
  };
}

/** The API's DimensionFilter, or null when nothing is filtered. */
export function dimensionFilter(f: Filters): Record<string, string[]> | null {
  const out: Record<string, string[]> = {};
  if (f.platform.length > 0) out["platform"] = [...f.platform];
  if (f.appVersion.length > 0) out["appVersion"] = [...f.appVersion];
  return Object.keys(out).length === 0 ? null : out;
}

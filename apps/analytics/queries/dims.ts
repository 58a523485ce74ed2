// Breakdowns and filters over the allow-listed dimensions, as SQL fragments with numbered parameters.
import { badInput } from "../errors";

export type Dimension = "PLATFORM" | "APP_VERSION" | "COUNTRY" | "IS_PAYING";

export interface DimensionFilter {
  readonly platform?: readonly string[] | null;
  readonly appVersion?: readonly string[] | null;
  readonly isPaying?: boolean | null;
}

export interface Group {
  platform: string | null;
  appVersion: string | null;
  isPaying: boolean | null;
}

const COLUMN: Record<Exclude<Dimension, "COUNTRY">, string> = { PLATFORM: "platform", APP_VERSION: "app_version", IS_PAYING: "paying" };

export interface DimSql {
  /** Select list entries (`platform AS g_platform`), empty when not broken down. */
  readonly select: string[];
  readonly groupBy: string[];
  readonly where: string[];
  readonly params: unknown[];
}

/**
 * `paramBase`: the number of parameters already used. `hasPaying`: whether the table has the paying
 * column (revenue rows are all paying players' by definition).
 */
export function dimSql(breakdown: readonly Dimension[], filter: DimensionFilter | null | undefined, paramBase: number, hasPaying = true): DimSql {
  const out: DimSql = { select: [], groupBy: [], where: [], params: [] };
  for (const d of new Set(breakdown)) {
    if (d === "COUNTRY") throw badInput("breakdown", "COUNTRY is not collected: the event catalog has no country field; use PLATFORM, APP_VERSION or IS_PAYING");
    const col = d === "IS_PAYING" && !hasPaying ? "true" : COLUMN[d];
    out.select.push(`${col} AS g_${COLUMN[d]}`);
    out.groupBy.push(`g_${COLUMN[d]}`);
  }
  const param = (v: unknown) => {
    out.params.push(v);
    return `$${paramBase + out.params.length}`;
  };
  if (filter?.platform != null) out.where.push(`platform = ANY(${param(filter.platform)}::text[])`);
  if (filter?.appVersion != null) out.where.push(`app_version = ANY(${param(filter.appVersion)}::text[])`);
  if (filter?.isPaying != null) out.where.push(hasPaying ? `paying = ${param(filter.isPaying)}::boolean` : filter.isPaying ? "true" : "false");
  return out;
}

export interface GroupRow {
  g_platform?: string;
  g_app_version?: string;
  g_paying?: boolean;
}

export function groupOf(r: GroupRow): Group {
  return { platform: r.g_platform ?? null, appVersion: r.g_app_version ?? null, isPaying: r.g_paying ?? null };
}

export const groupKey = (g: Group): string => `${g.platform ?? "\u0000"}\u0001${g.appVersion ?? "\u0000"}\u0001${String(g.isPaying)}`;

/** Refuses a breakdown with more groups than the cap (the query fetched at most cap x buckets + 1 rows). */
export function checkGroups(rows: readonly GroupRow[], maxGroups: number, rowLimit: number): void {
  const groups = new Set(rows.map((r) => groupKey(groupOf(r))));
  if (groups.size > maxGroups || rows.length >= rowLimit) {
    throw badInput("breakdown", `the breakdown has more than ${maxGroups} groups; add a filter or break down by fewer dimensions`);
  }
}

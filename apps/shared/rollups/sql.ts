// SQL shapes the rollup writers share: rows travel as one jsonb parameter per table.

export type Columns = readonly (readonly [name: string, type: string])[];

/** `SELECT <cols> FROM jsonb_to_recordset($n) AS r(<name type>, ...)` */
export function recordset(param: string, cols: Columns): string {
  return `SELECT ${cols.map(([n]) => n).join(", ")} FROM jsonb_to_recordset(${param}::jsonb) AS r(${cols.map(([n, t]) => `${n} ${t}`).join(", ")})`;
}

/** Rows as JSON objects keyed by column name, in column order. */
export function records(cols: Columns, rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries(cols.map(([n], i) => [n, r[i]]))));
}

/**
 * An upsert that adds `sums` into existing rows: `INSERT INTO t AS t (...) <select> ORDER BY <keys>
 * ON CONFLICT (<keys>) DO UPDATE SET s = t.s + EXCLUDED.s`. Rows are inserted in key order so
 * concurrent writers lock shared counter rows in the same order and cannot deadlock.
 */
export function addInto(table: string, keys: readonly string[], sums: readonly string[], select: string): string {
  const cols = [...keys, ...sums].join(", ");
  return `INSERT INTO ${table} AS t (${cols}) SELECT ${cols} FROM (${select}) AS s ORDER BY ${keys.join(", ")}
  ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${sums.map((s) => `${s} = t.${s} + EXCLUDED.${s}`).join(", ")}`;
}

/** Table -> key columns and summed columns of every counter table. */
export const COUNTERS = {
  rollup_game_days: {
    keys: ["game_id", "day", "platform", "app_version", "paying"],
    sums: ["dau", "new_players", "converted", "sessions", "session_ends", "playtime_s", "events"],
  },
  rollup_game_day_revenue: {
    keys: ["game_id", "day", "platform", "app_version", "currency"],
    sums: ["gross_minor", "purchases", "payers", "first_time_minor"],
  },
  rollup_retention: { keys: ["game_id", "cohort_day", "day"], sums: ["retained"] },
  rollup_game_windows: { keys: ["game_id", "day"], sums: ["wau", "mau"] },
  rollup_game_hours: { keys: ["game_id", "hour", "event_type", "platform", "app_version", "currency"], sums: ["events", "amount"] },
  rollup_session_lengths: { keys: ["game_id", "day", "bin"], sums: ["sessions"] },
  rollup_progression: { keys: ["game_id", "day", "path"], sums: ["starts", "fails", "completes", "attempts_sum", "attempts_n"] },
  rollup_resources: { keys: ["game_id", "day", "flow", "currency", "item_type"], sums: ["amount", "events"] },
  rollup_design: { keys: ["game_id", "day", "design_id"], sums: ["events", "value_sum", "value_n"] },
  rollup_errors: { keys: ["game_id", "day", "severity"], sums: ["events"] },
} as const;

export type CounterTable = keyof typeof COUNTERS;

/** Every rollup table with its per-game key column ordering, for dumps, erasure and rebuilds. */
export const ROLLUP_TABLES = ["rollup_players", "rollup_player_days", ...(Object.keys(COUNTERS) as CounterTable[])] as const;

/** Column -> SQL type of every counter column, for recordsets. */
export const TYPES: Record<string, string> = {
  game_id: "text", player_id: "text", day: "date", cohort_day: "date", platform: "text", app_version: "text", paying: "boolean",
  currency: "text", hour: "timestamptz", event_type: "text", bin: "smallint", path: "text", flow: "text", item_type: "text",
  design_id: "text", severity: "text",
  dau: "int", new_players: "int", converted: "int", sessions: "bigint", session_ends: "bigint", playtime_s: "bigint", events: "bigint",
  gross_minor: "bigint", purchases: "bigint", payers: "int", first_time_minor: "bigint", retained: "int", wau: "int", mau: "int",
  amount: "numeric", starts: "bigint", fails: "bigint", completes: "bigint", attempts_sum: "bigint", attempts_n: "bigint",
  value_sum: "numeric", value_n: "bigint", value: "numeric",
};

export function counterColumns(table: CounterTable): Columns {
  const c = COUNTERS[table];
  return [...c.keys, ...c.sums].map((n) => [n, TYPES[n]] as const);
}

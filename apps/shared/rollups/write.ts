// Writes one batch plan in a single statement (one CTE per table), then removes counter rows a
// late event emptied, so the live tables stay equal to what a rebuild computes.
import type { PoolClient } from "pg";
import type { BatchPartials, Counter, Funnel } from "./aggregate";
import { keyOf } from "./model";
import type { BatchPlan, Delta } from "./plan";
import { dayRecord, DAY_COLUMNS, PLAYER_COLUMNS, playerRecord } from "./rows";
import { addInto, Columns, COUNTERS, counterColumns, CounterTable, recordset, records, TYPES } from "./sql";

const columnsOf = (names: readonly string[]): Columns => names.map((n) => [n, TYPES[n]] as const);

const nonZero = <T extends object>(d: Delta<T>): boolean => Object.values(d.value as Record<string, number>).some((v) => v !== 0);

function deltaRows<T extends object>(map: ReadonlyMap<string, Delta<T>>, sums: readonly (keyof T)[], parse: (parts: readonly string[]) => unknown[] = (p) => [...p]): unknown[][] {
  return [...map.values()].filter(nonZero).map((d) => [...parse(d.parts), ...sums.map((s) => d.value[s])]);
}

function counterRows<T>(map: ReadonlyMap<string, Counter<T>>, values: (v: T) => unknown[], parse: (parts: readonly string[]) => unknown[] = (p) => [...p]): unknown[][] {
  return [...map.values()].map((c) => [...parse(c.parts), ...values(c.value)]);
}

interface Part {
  readonly sql: (param: string) => string;
  readonly json: string;
}

function counterPart(table: CounterTable, rows: unknown[][]): Part | undefined {
  if (rows.length === 0) return undefined;
  const cols = counterColumns(table);
  const c = COUNTERS[table];
  return { sql: (p) => addInto(table, c.keys, c.sums, recordset(p, cols)), json: records(cols, rows) };
}

function groupedPart(table: "rollup_resources" | "rollup_design", raw: string[][], valueCol: string, select: string): Part | undefined {
  if (raw.length === 0) return undefined;
  const c = COUNTERS[table];
  const cols = columnsOf([...c.keys, valueCol]);
  return {
    sql: (p) => addInto(table, c.keys, c.sums, `${select} FROM (${recordset(p, cols)}) AS g GROUP BY ${c.keys.join(", ")}`),
    json: records(cols, raw.map((r) => r.map((v, i) => (i === r.length - 1 && v === "" ? null : v)))),
  };
}

function upsertPart(table: string, cols: Columns, keys: readonly string[], rows: unknown[][]): Part | undefined {
  if (rows.length === 0) return undefined;
  const names = cols.map(([n]) => n);
  const set = names.filter((n) => !keys.includes(n)).map((n) => `${n} = EXCLUDED.${n}`).join(", ");
  return {
    sql: (p) => `INSERT INTO ${table} AS t (${names.join(", ")}) SELECT * FROM (${recordset(p, cols)}) AS s ORDER BY ${keys.join(", ")}
      ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${set}`,
    json: records(cols, rows),
  };
}

const days = (parts: readonly string[]): unknown[] => [...parts];
const gameDayKey = (p: readonly string[]): unknown[] => [p[0], p[1], p[2], p[3], p[4] === "true"];

export function planParts(plan: BatchPlan, b: BatchPartials): Part[] {
  const d = plan.deltas;
  const changedPlayers = plan.players.filter((p) => plan.changed.has(keyOf(p.gameId, p.playerId)));
  const parts = [
    upsertPart("rollup_players", PLAYER_COLUMNS, ["game_id", "player_id"], changedPlayers.map((p) => playerRecord(p.gameId, p.playerId, p.next))),
    upsertPart("rollup_player_days", DAY_COLUMNS, ["game_id", "player_id", "day"], plan.days.map((x) => dayRecord(x.gameId, x.playerId, x.day, x.state))),
    counterPart("rollup_game_days", deltaRows(d.gameDays, ["dau", "newPlayers", "converted", "sessions", "sessionEnds", "playtimeS", "events"], gameDayKey)),
    counterPart("rollup_game_day_revenue", deltaRows(d.revenue, ["gross", "purchases", "payers", "firstTime"])),
    counterPart("rollup_retention", deltaRows(d.retention, ["retained"])),
    counterPart("rollup_game_windows", deltaRows(d.windows, ["wau", "mau"])),
    counterPart("rollup_game_hours", counterRows(b.hours, (v) => [v.events, v.amount])),
    counterPart("rollup_session_lengths", counterRows(b.sessionBins, (n) => [n], (p) => [p[0], p[1], Number(p[2])])),
    counterPart("rollup_progression", counterRows(b.progression, (f: Funnel) => [f.starts, f.fails, f.completes, f.attemptsSum, f.attemptsN], days)),
    groupedPart("rollup_resources", b.resources, "amount", "SELECT game_id, day, flow, currency, item_type, sum(amount) AS amount, count(*) AS events"),
    groupedPart("rollup_design", b.design, "value", "SELECT game_id, day, design_id, count(*) AS events, coalesce(sum(value), 0) AS value_sum, count(value) AS value_n"),
    counterPart("rollup_errors", counterRows(b.errors, (n) => [n])),
  ];
  return parts.filter((p): p is Part => p !== undefined);
}

// Counter rows that reach zero disappear (a rebuild would not produce them). Every player-day adds 1
// to dau, payers and retained, so those reaching zero means the whole row is zero.
const EMPTIED: readonly (readonly [CounterTable, string, "gameDays" | "revenue" | "retention"])[] = [
  ["rollup_game_days", "dau", "gameDays"],
  ["rollup_game_day_revenue", "payers", "revenue"],
  ["rollup_retention", "retained", "retention"],
];

export async function writePlan(client: PoolClient, plan: BatchPlan, b: BatchPartials): Promise<void> {
  const parts = planParts(plan, b);
  if (parts.length > 0) {
    const ctes = parts.map((p, i) => `w${i} AS (${p.sql(`$${i + 1}`)})`).join(",\n");
    await client.query(`WITH ${ctes}\nSELECT 1`, parts.map((p) => p.json));
  }
  if (!plan.shrinks) return;
  const deletes = EMPTIED.flatMap(([table, count, field]) => {
    const keys = COUNTERS[table].keys;
    const rows = [...plan.deltas[field].values()].map((dl) => (field === "gameDays" ? gameDayKey(dl.parts) : [...dl.parts]));
    if (rows.length === 0) return [];
    const cols = columnsOf(keys);
    return [{ json: records(cols, rows), sql: (p: string) => `DELETE FROM ${table} t USING (${recordset(p, cols)}) AS k WHERE ${keys.map((k) => `t.${k} = k.${k}`).join(" AND ")} AND t.${count} = 0` }];
  });
  if (deletes.length > 0) {
    await client.query(`WITH ${deletes.map((d, i) => `d${i} AS (${d.sql(`$${i + 1}`)})`).join(",\n")}\nSELECT 1`, deletes.map((d) => d.json));
  }
}

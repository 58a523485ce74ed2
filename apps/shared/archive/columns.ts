// What an archived row is: the columns of player_events as the database has them now (read from the
// catalog, so a column added or a key changed by a migration is archived without code changes), each
// with one canonical text form that both PostgreSQL and the archive reader produce. Digests over that
// form prove that the rows in the objects are the rows of the partition.
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";

/** How a column is stored in Parquet; its canonical text is given per kind below. */
export type ColumnKind = "string" | "json" | "int32" | "int64" | "bool" | "date" | "timestamp_us";

export interface Column {
  readonly name: string;
  /** The SQL type as format_type prints it (restores cast to it). */
  readonly sqlType: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

export interface TableShape {
  readonly table: string;
  readonly columns: readonly Column[];
  /** The table's primary key columns: what identifies one event, whatever the key's shape. */
  readonly key: readonly string[];
  /** SHA-256 over names, types and key: the schema version recorded in every manifest. */
  readonly fingerprint: string;
}

/** The version of this mapping from SQL types to Parquet and canonical text. */
export const ARCHIVE_FORMAT_VERSION = 1;

const KIND_OF: Readonly<Record<string, ColumnKind>> = {
  text: "string",
  uuid: "string",
  "character varying": "string",
  jsonb: "json",
  json: "json",
  smallint: "int32",
  integer: "int32",
  bigint: "int64",
  boolean: "bool",
  date: "date",
  "timestamp with time zone": "timestamp_us",
};

export async function readShape(db: Pool | PoolClient, table = "player_events"): Promise<TableShape> {
  const cols = await db.query<{ name: string; sql_type: string; base: string; nullable: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type, format_type(a.atttypid, NULL) AS base, NOT a.attnotnull AS nullable
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  if (cols.rows.length === 0) throw new Error(`table ${table} has no columns (does it exist?)`);
  const columns = cols.rows.map((c): Column => {
    const kind = KIND_OF[c.base];
    if (kind === undefined) throw new Error(`column ${table}.${c.name} has type ${c.sql_type}, which the archive format does not map; allowed: ${Object.keys(KIND_OF).join(", ")}`);
    return { name: c.name, sqlType: c.sql_type, kind, nullable: c.nullable };
  });
  const pk = await db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  const key = pk.rows.map((r) => r.name);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ v: ARCHIVE_FORMAT_VERSION, columns: columns.map((c) => [c.name, c.sqlType, c.nullable]), key }))
    .digest("hex");
  return { table, columns, key: key.length > 0 ? key : columns.map((c) => c.name), fingerprint };
}

/** A quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The canonical text of one column as SQL: integers and booleans as PostgreSQL prints them, strings
 * and JSON verbatim (jsonb's own normal form), dates as days since 1970-01-01, timestamps as
 * microseconds since the epoch (exact: extract returns numeric).
 */
export function canonicalSql(c: Column, alias = ""): string {
  const col = `${alias}${ident(c.name)}`;
  switch (c.kind) {
    case "date":
      return `(${col} - DATE '1970-01-01')::text`;
    case "timestamp_us":
      return `(extract(epoch FROM ${col}) * 1000000)::bigint::text`;
    default:
      return `${col}::text`;
  }
}

/** Columns separated by the unit separator; each value "n" (null) or "v" + its canonical text. */
export const SEPARATOR = "\u001f";

export function canonicalRowSql(columns: readonly Column[], alias = ""): string {
  return `concat_ws(E'\\x1f', ${columns.map((c) => `CASE WHEN ${alias}${ident(c.name)} IS NULL THEN 'n' ELSE 'v' || ${canonicalSql(c, alias)} END`).join(", ")})`;
}

/** Per-row hash as a 60-bit integer; the digest of a set of rows is their sum (order-free, exact). */
export const rowHashSql = (columns: readonly Column[], alias = ""): string =>
  `('x' || left(encode(sha256(convert_to(${canonicalRowSql(columns, alias)}, 'UTF8')), 'hex'), 15))::bit(60)::bigint`;

/** The key of one row (its primary-key columns' canonical text), as SQL. */
export function keySql(shape: TableShape, alias = ""): string {
  const cols = shape.key.map((k) => shape.columns.find((c) => c.name === k) as Column);
  return `concat_ws(E'\\x1f', ${cols.map((c) => `coalesce(${canonicalSql(c, alias)}, '')`).join(", ")})`;
}

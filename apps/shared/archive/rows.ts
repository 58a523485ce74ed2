// The JavaScript side of the canonical row form (columns.ts): digests computed here while writing or
// reading an archive must equal the ones PostgreSQL computes over the partition.
import { createHash } from "node:crypto";
import { SEPARATOR, type Column, type TableShape } from "./columns";

/** One row as canonical text values, in the shape's column order; null for SQL NULL. */
export type CanonicalRow = readonly (string | null)[];

export function rowHash(row: CanonicalRow): bigint {
  const text = row.map((v) => (v === null ? "n" : `v${v}`)).join(SEPARATOR);
  return BigInt(`0x${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 15)}`);
}

/** Order-free digest of many rows: the exact sum of their hashes, as a decimal string. */
export class RowDigest {
  private sum = 0n;
  rows = 0;

  add(row: CanonicalRow): void {
    this.sum += rowHash(row);
    this.rows += 1;
  }

  get value(): string {
    return this.sum.toString();
  }
}

export const addDigests = (a: string, b: string): string => (BigInt(a) + BigInt(b)).toString();

export function keyOf(shape: TableShape, row: CanonicalRow): string {
  return shape.key.map((k) => row[shape.columns.findIndex((c) => c.name === k)] ?? "").join(SEPARATOR);
}

/** Canonical text -> the value handed to SQL as text for a cast to the column's type. */
export function sqlText(c: Column, v: string | null): string | null {
  if (v === null) return null;
  if (c.kind === "date") return new Date(Number(v) * 86_400_000).toISOString().slice(0, 10);
  if (c.kind === "timestamp_us") return isoMicros(BigInt(v));
  return v;
}

/** Microseconds since the epoch -> ISO 8601 with all six fractional digits. */
export function isoMicros(us: bigint): string {
  const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);
  const sub = us - ms * 1000n;
  return new Date(Number(ms)).toISOString().replace("Z", `${sub.toString().padStart(3, "0")}Z`);
}

/** A row as JSON for exports: typed values, timestamps as ISO with microseconds, JSON parsed. */
export function rowJson(columns: readonly Column[], row: CanonicalRow): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((c, i) => {
      const v = row[i];
      if (v === null) return [c.name, null];
      if (c.kind === "json") return [c.name, JSON.parse(v) as unknown];
      if (c.kind === "int32") return [c.name, Number(v)];
      if (c.kind === "bool") return [c.name, v === "true"];
      if (c.kind === "int64") return [c.name, v];
      return [c.name, sqlText(c, v)];
    }),
  );
}

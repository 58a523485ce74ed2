// Reading an archive back: every part listed in its manifest must exist, hash to the recorded
// SHA-256, and decode (with an independent Parquet reader) to exactly the recorded rows and digest.
import type { Bucket } from "../s3/objects";
import { getObject } from "../s3/objects";
import type { TableShape } from "./columns";
import type { Manifest, PartEntry } from "./manifest";
import { shapeOf } from "./manifest";
import { readPart } from "./parquet";
import { RowDigest, type CanonicalRow } from "./rows";

export interface PartCheck {
  readonly part: PartEntry;
  /** Problems found (empty: the part is exactly what the manifest says). */
  readonly problems: readonly string[];
  readonly players: ReadonlySet<string>;
}

/** Downloads one part, checks it against its entry and hands its rows to `each` as they decode. */
export async function checkPart(b: Bucket, shape: TableShape, part: PartEntry, each?: (rows: CanonicalRow[]) => Promise<void>): Promise<PartCheck> {
  const obj = await getObject(b, part.key);
  if (obj === undefined) return { part, problems: [`${part.key} is missing`], players: new Set() };
  if (obj.sha256 !== part.sha256) return { part, problems: [`${part.key} has SHA-256 ${obj.sha256}, the manifest says ${part.sha256}`], players: new Set() };
  const reader = readPart(obj.bytes);
  const digest = new RowDigest();
  const players = new Set<string>();
  const playerIdx = shape.columns.findIndex((c) => c.name === "player_id");
  for await (const rows of reader.groups(shape)) {
    for (const r of rows) {
      digest.add(r);
      if (playerIdx >= 0 && r[playerIdx] !== null) players.add(r[playerIdx] as string);
    }
    if (each !== undefined) await each(rows);
  }
  const problems: string[] = [];
  if (digest.rows !== part.rows || reader.rows !== part.rows) problems.push(`${part.key} holds ${digest.rows} rows, the manifest says ${part.rows}`);
  if (digest.value !== part.rowsDigest) problems.push(`${part.key} rows digest ${digest.value} differs from the manifest's ${part.rowsDigest}`);
  return { part, problems, players };
}

export interface ArchiveCheck {
  readonly problems: readonly string[];
  /** Distinct player ids per part number. */
  readonly players: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Checks every part and the manifest's totals. */
export async function checkArchive(b: Bucket, m: Manifest, each?: (rows: CanonicalRow[]) => Promise<void>): Promise<ArchiveCheck> {
  const shape = shapeOf(m);
  const problems: string[] = [];
  const players = new Map<number, ReadonlySet<string>>();
  for (const p of m.parts) {
    const c = await checkPart(b, shape, p, each);
    problems.push(...c.problems);
    players.set(p.n, c.players);
  }
  const rows = m.parts.reduce((n, p) => n + p.rows, 0);
  if (rows !== m.rows) problems.push(`manifest of ${m.gameId} ${m.day} says ${m.rows} rows but its parts add up to ${rows}`);
  const digest = m.parts.reduce((s, p) => s + BigInt(p.rowsDigest), 0n).toString();
  if (digest !== m.rowsDigest) problems.push(`manifest of ${m.gameId} ${m.day}: rows digest does not equal the sum of its parts'`);
  return { problems, players };
}

// The manifest of one game's archived day: what the objects hold and how to check them. Written
// after the parts it lists, so a manifest never names an object that was not fully uploaded.
import { ARCHIVE_FORMAT_VERSION, type Column, type TableShape } from "./columns";
import { getObject, putObject, sha256Hex, type Bucket } from "../s3/objects";
import { manifestKey } from "./layout";

export interface PartEntry {
  /** n in part-<n>.parquet. */
  readonly n: number;
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Order-free digest of the part's canonical rows (rows.ts). */
  readonly rowsDigest: string;
}

export interface Manifest {
  readonly format: "gamemetrics.archive.player_events";
  readonly formatVersion: number;
  readonly gameId: string;
  readonly day: string;
  readonly sourcePartition: string;
  /** Rises with every change of the part list (late rows appended, an erasure rewrite). */
  readonly generation: number;
  readonly rows: number;
  readonly rowsDigest: string;
  readonly schema: { readonly version: number; readonly fingerprint: string; readonly columns: readonly Column[]; readonly key: readonly string[] };
  readonly parts: readonly PartEntry[];
  readonly updatedAt: string;
}

export function buildManifest(shape: TableShape, base: { gameId: string; day: string; sourcePartition: string; generation: number }, parts: readonly PartEntry[]): Manifest {
  const rowsDigest = parts.reduce((sum, p) => sum + BigInt(p.rowsDigest), 0n).toString();
  return {
    format: "gamemetrics.archive.player_events",
    formatVersion: ARCHIVE_FORMAT_VERSION,
    ...base,
    rows: parts.reduce((n, p) => n + p.rows, 0),
    rowsDigest,
    schema: { version: ARCHIVE_FORMAT_VERSION, fingerprint: shape.fingerprint, columns: shape.columns, key: shape.key },
    parts: [...parts].sort((a, b) => a.n - b.n),
    updatedAt: new Date().toISOString(),
  };
}

/** The shape an archive was written with (restores and rewrites decode with it). */
export function shapeOf(m: Manifest): TableShape {
  return { table: "player_events", columns: m.schema.columns, key: m.schema.key, fingerprint: m.schema.fingerprint };
}

export interface StoredManifest {
  readonly manifest: Manifest;
  readonly sha256: string;
}

export async function readManifest(b: Bucket, prefix: string, gameId: string, day: string): Promise<StoredManifest | undefined> {
  const obj = await getObject(b, manifestKey(prefix, gameId, day));
  if (obj === undefined) return undefined;
  const m = JSON.parse(obj.bytes.toString("utf8")) as Manifest;
  if (m.format !== "gamemetrics.archive.player_events" || m.gameId !== gameId || m.day !== day) {
    throw new Error(`${manifestKey(prefix, gameId, day)} is not the manifest of ${gameId} ${day}`);
  }
  return { manifest: m, sha256: obj.sha256 };
}

export async function writeManifest(b: Bucket, prefix: string, m: Manifest): Promise<StoredManifest> {
  const body = Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
  await putObject(b, manifestKey(prefix, m.gameId, m.day), body, "application/json");
  return { manifest: m, sha256: sha256Hex(body) };
}

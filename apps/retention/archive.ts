// Archiving one game's day: the partition's rows become Parquet parts, then the manifest that lists
// them. Re-running finds the manifest and does only what is missing: nothing when it already covers
// the partition, or the rows it lacks (late events, rows restored and changed) as further parts.
import type { PoolClient } from "pg";
import { keySql, type TableShape } from "../shared/archive/columns";
import { faultPoint } from "../shared/archive/faults";
import { dayPrefix, manifestKey, partKey } from "../shared/archive/layout";
import { buildManifest, readManifest, shapeOf, type PartEntry, type StoredManifest, writeManifest } from "../shared/archive/manifest";
import { PARQUET_CONTENT_TYPE, PartWriter, readPart } from "../shared/archive/parquet";
import { keyOf, RowDigest, type CanonicalRow } from "../shared/archive/rows";
import { deleteVersions, getObject, listKeys, putObject, type Bucket, type Versioning } from "../shared/s3/objects";
import { gameTotals, streamRows, type Totals } from "./partitions";

export interface ArchiveTarget {
  readonly bucket: Bucket;
  readonly versioning: Versioning;
  readonly prefix: string;
  readonly partRows: number;
}

export interface DayArchive {
  readonly stored: StoredManifest;
  /** The partition's rows and digest for this game in the snapshot the archive was checked against. */
  readonly covered: Totals;
  /** Parts written by this call (0: the archive already covered the partition). */
  readonly written: number;
}

/** Writes rows to parts numbered from `firstN`, `partRows` rows each. */
async function writeParts(t: ArchiveTarget, shape: TableShape, gameId: string, day: string, rows: AsyncIterable<CanonicalRow[]>, firstN: number): Promise<PartEntry[]> {
  const parts: PartEntry[] = [];
  let current: { n: number; writer: PartWriter; digest: RowDigest; upload: Promise<unknown> } | undefined;
  const finish = async (): Promise<void> => {
    if (current === undefined) return;
    const { sha256, bytes } = await current.writer.close();
    await current.upload;
    parts.push({ n: current.n, key: partKey(t.prefix, gameId, day, current.n), rows: current.digest.rows, bytes, sha256, rowsDigest: current.digest.value });
    current = undefined;
  };
  for await (const batch of rows) {
    for (const row of batch) {
      if (current === undefined) {
        const n = firstN + parts.length;
        const writer = new PartWriter(shape);
        // The upload reads while rows are appended; a failed upload fails the writer instead of stalling it.
        const upload = putObject(t.bucket, partKey(t.prefix, gameId, day, n), writer.output, PARQUET_CONTENT_TYPE).catch((err: unknown) => {
          writer.output.destroy(err as Error);
          throw err;
        });
        current = { n, writer, digest: new RowDigest(), upload };
      }
      await current.writer.append(row);
      current.digest.add(row);
      if (current.digest.rows >= t.partRows) await finish();
    }
  }
  await finish();
  return parts;
}

/** Keys of every row already archived, in a temporary table of this transaction. */
async function loadArchivedKeys(client: PoolClient, t: ArchiveTarget, m: StoredManifest): Promise<void> {
  const shape = shapeOf(m.manifest);
  await client.query("CREATE TEMP TABLE archived_keys (k text PRIMARY KEY) ON COMMIT DROP");
  for (const p of m.manifest.parts) {
    const obj = await getObject(t.bucket, p.key);
    if (obj === undefined || obj.sha256 !== p.sha256) throw new Error(`${p.key} is missing or differs from its manifest; not appending to a damaged archive`);
    for await (const rows of readPart(obj.bytes).groups(shape, shape.key)) {
      await client.query("INSERT INTO archived_keys SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", [rows.map((r) => keyOf(shape, r))]);
    }
  }
  await client.query("ANALYZE archived_keys");
}

/** Objects under the day's prefix that the manifest does not list: leftovers of an interrupted run. */
async function deleteOrphans(t: ArchiveTarget, m: StoredManifest): Promise<number> {
  const listed = new Set([...m.manifest.parts.map((p) => p.key), manifestKey(t.prefix, m.manifest.gameId, m.manifest.day)]);
  const orphans = (await listKeys(t.bucket, dayPrefix(t.prefix, m.manifest.gameId, m.manifest.day))).filter((k) => !listed.has(k));
  for (const k of orphans) await deleteVersions(t.bucket, t.versioning, k, "none");
  return orphans.length;
}

/** Makes the archive of (game, day) cover every row the partition holds for the game. Caller holds the day's archive lock. */
export async function archiveDay(client: PoolClient, t: ArchiveTarget, shape: TableShape, partition: string, gameId: string, day: string): Promise<DayArchive> {
  // One snapshot for the totals and the rows, so the digest the database computed is the one written.
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    const totals = (await gameTotals(client, shape, partition, gameId)).get(gameId) ?? { rows: 0, digest: "0" };
    const existing = await readManifest(t.bucket, t.prefix, gameId, day);
    if (existing !== undefined && existing.manifest.rows === totals.rows && existing.manifest.rowsDigest === totals.digest) {
      await client.query("COMMIT");
      await deleteOrphans(t, existing);
      return { stored: existing, covered: totals, written: 0 };
    }
    if (existing !== undefined && existing.manifest.schema.fingerprint !== shape.fingerprint) {
      throw new Error(`archive of ${gameId} ${day} was written with schema ${existing.manifest.schema.fingerprint.slice(0, 12)}, the table now has ${shape.fingerprint.slice(0, 12)}; not appending rows of another shape`);
    }
    let where = "";
    if (existing !== undefined) {
      await loadArchivedKeys(client, t, existing);
      where = `AND NOT EXISTS (SELECT 1 FROM archived_keys a WHERE a.k = ${keySql(shape, "p.")})`;
    }
    const firstN = existing === undefined ? 0 : Math.max(-1, ...existing.manifest.parts.map((p) => p.n)) + 1;
    const parts = await writeParts(t, shape, gameId, day, streamRows(client, shape, partition, gameId, where), firstN);
    if (existing === undefined) {
      const written = parts.reduce((s, p) => s + BigInt(p.rowsDigest), 0n).toString();
      if (written !== totals.digest) throw new Error(`rows written for ${gameId} ${day} digest to ${written}, the database says ${totals.digest}; archive not recorded`);
    }
    await client.query("COMMIT");
    await faultPoint("after-parts");
    const base = { gameId, day, sourcePartition: partition, generation: (existing?.manifest.generation ?? 0) + 1 };
    const stored = parts.length === 0 && existing !== undefined ? existing : await writeManifest(t.bucket, t.prefix, buildManifest(shape, base, [...(existing?.manifest.parts ?? []), ...parts]));
    await faultPoint("after-manifest");
    await deleteOrphans(t, stored);
    return { stored, covered: totals, written: parts.length };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}


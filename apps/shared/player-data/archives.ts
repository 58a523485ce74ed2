// The archives store: a player's rows in the Parquet archives of player_events (apps/retention).
// retention_archived_players says which part of which day holds rows of the player, so export reads
// and erase rewrites exactly those objects. Erase, per object: write the part again without the
// player's rows (same key; recorded first in retention_rewrites so a crash between object and
// manifest is recognised), update the manifest, delete every older version of the object (the
// archives bucket is versioned), then drop the index rows and audit. Idempotent and resumable.
import type { Pool } from "pg";
import { appendAudit } from "../audit";
import { ARCHIVE_DEFAULTS } from "../archive/layout";
import { withArchiveLock } from "../archive/lock";
import { faultPoint } from "../archive/faults";
import { buildManifest, readManifest, shapeOf, type Manifest, type PartEntry, writeManifest } from "../archive/manifest";
import { PARQUET_CONTENT_TYPE, parquetBytes, readPart } from "../archive/parquet";
import { RowDigest, rowJson, type CanonicalRow } from "../archive/rows";
import { inTransaction } from "../pg";
import { createS3Client, loadEncryption, loadS3Settings } from "../s3/client";
import { bucketVersioning, deleteVersions, getObject, putObject, sha256Hex, type Bucket, type Versioning } from "../s3/objects";
import { str } from "../config";
import type { EraseResult, PlayerDataStore, PlayerRef } from "./types";

export interface ArchivesStoreDeps {
  readonly pool: Pool;
  readonly bucket: Bucket;
  readonly versioning: Versioning;
  /** The retention job's prefix of the archives bucket. */
  readonly prefix: string;
  /** Who the audit entries name, e.g. `service:users`. */
  readonly actor: string;
}

interface Located {
  readonly day: string;
  readonly parts: readonly number[];
}

async function locate(pool: Pool, p: PlayerRef): Promise<Located[]> {
  const { rows } = await pool.query<{ day: string; parts: number[] }>(
    "SELECT day::text AS day, array_agg(part ORDER BY part) AS parts FROM retention_archived_players WHERE game_id = $1 AND player_id = $2 GROUP BY day ORDER BY day",
    [p.gameId, p.playerId],
  );
  return rows.map((r) => ({ day: r.day, parts: r.parts }));
}

async function dayManifest(d: ArchivesStoreDeps, gameId: string, day: string): Promise<Manifest> {
  const stored = await readManifest(d.bucket, d.prefix, gameId, day);
  if (stored === undefined) throw new Error(`archive of ${gameId} ${day} is indexed but has no manifest`);
  return stored.manifest;
}

/** All rows of one part, checked against its manifest entry. */
async function partRows(d: ArchivesStoreDeps, m: Manifest, part: PartEntry): Promise<{ rows: CanonicalRow[]; sha256: string }> {
  const obj = await getObject(d.bucket, part.key);
  if (obj === undefined) throw new Error(`${part.key} is listed in its manifest but missing`);
  const rows: CanonicalRow[] = [];
  for await (const g of readPart(obj.bytes).groups(shapeOf(m))) rows.push(...g);
  return { rows, sha256: obj.sha256 };
}

const playerIndex = (m: Manifest): number => m.schema.columns.findIndex((c) => c.name === "player_id");

async function exportPlayer(d: ArchivesStoreDeps, p: PlayerRef, emit: Parameters<PlayerDataStore["export"]>[1]): Promise<number> {
  let n = 0;
  for (const loc of await locate(d.pool, p)) {
    const m = await dayManifest(d, p.gameId, loc.day);
    for (const part of m.parts.filter((x) => loc.parts.includes(x.n))) {
      const { rows, sha256 } = await partRows(d, m, part);
      if (sha256 !== part.sha256) throw new Error(`${part.key} differs from its manifest (an interrupted rewrite?); export it again after the erasure job finishes`);
      for (const r of rows.filter((r) => r[playerIndex(m)] === p.playerId)) {
        await emit({ store: "archives", kind: "player_event", data: { ...rowJson(m.schema.columns, r), archive: { day: loc.day, key: part.key } } });
        n += 1;
      }
    }
  }
  return n;
}

interface Rewrite {
  readonly sha256: string;
  readonly rows: number;
  readonly bytes: number;
  readonly rowsDigest: string;
}

/** Rewrites one part without the player; returns how many rows left and versions deleted. */
async function erasePart(d: ArchivesStoreDeps, p: PlayerRef, day: string, n: number): Promise<{ removed: number; versions: number; key: string }> {
  let m = await dayManifest(d, p.gameId, day);
  const part = m.parts.find((x) => x.n === n);
  let removed = 0;
  let key = part?.key ?? "";
  if (part !== undefined) {
    const { rows, sha256 } = await partRows(d, m, part);
    const intent = (await d.pool.query<{ new_sha256: string; new_rows: string; new_bytes: string; new_rows_digest: string }>(
      "SELECT new_sha256, new_rows, new_bytes, new_rows_digest::text FROM retention_rewrites WHERE game_id = $1 AND day = $2 AND part = $3",
      [p.gameId, day, n],
    )).rows[0];
    let next: Rewrite | null;
    if (sha256 === part.sha256) {
      const keep = rows.filter((r) => r[playerIndex(m)] !== p.playerId);
      removed = rows.length - keep.length;
      if (removed === 0) next = null;
      else if (keep.length === 0) next = { sha256: "", rows: 0, bytes: 0, rowsDigest: "0" };
      else {
        const bytes = await parquetBytes(shapeOf(m), keep);
        const digest = new RowDigest();
        keep.forEach((r) => digest.add(r));
        next = { sha256: sha256Hex(bytes), rows: keep.length, bytes: bytes.length, rowsDigest: digest.value };
        await d.pool.query(
          `INSERT INTO retention_rewrites (game_id, day, part, new_sha256, new_rows, new_bytes, new_rows_digest) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (game_id, day, part) DO UPDATE SET new_sha256 = EXCLUDED.new_sha256, new_rows = EXCLUDED.new_rows, new_bytes = EXCLUDED.new_bytes,
             new_rows_digest = EXCLUDED.new_rows_digest, started_at = now()`,
          [p.gameId, day, n, next.sha256, next.rows, next.bytes, next.rowsDigest],
        );
        await putObject(d.bucket, part.key, bytes, PARQUET_CONTENT_TYPE);
        await faultPoint("after-rewrite-object");
      }
    } else if (intent !== undefined && intent.new_sha256 === sha256) {
      // The object was rewritten by an interrupted run; its manifest entry was not.
      next = { sha256, rows: Number(intent.new_rows), bytes: Number(intent.new_bytes), rowsDigest: intent.new_rows_digest };
      removed = part.rows - next.rows;
    } else {
      throw new Error(`${part.key} has SHA-256 ${sha256}, its manifest says ${part.sha256}, and no rewrite of it is recorded; not touching it`);
    }
    if (next !== null) {
      const parts = next.rows === 0 ? m.parts.filter((x) => x.n !== n) : m.parts.map((x) => (x.n === n ? { ...x, ...next } : x));
      m = (await writeManifest(d.bucket, d.prefix, buildManifest(shapeOf(m), { gameId: m.gameId, day: m.day, sourcePartition: m.sourcePartition, generation: m.generation + 1 }, parts))).manifest;
      await faultPoint("after-rewrite-manifest");
    }
  } else {
    key = `${d.prefix}/game_id=${p.gameId}/dt=${day}/part-${n}.parquet`;
  }
  // Older versions still hold the player's rows; a part that is no longer listed goes entirely.
  const listed = m.parts.some((x) => x.n === n);
  const versions = await deleteVersions(d.bucket, d.versioning, key, listed ? "current" : "none");
  await inTransaction(d.pool, async (c) => {
    await c.query("DELETE FROM retention_archived_players WHERE game_id = $1 AND player_id = $2 AND day = $3 AND part = $4", [p.gameId, p.playerId, day, n]);
    await c.query("DELETE FROM retention_rewrites WHERE game_id = $1 AND day = $2 AND part = $3", [p.gameId, day, n]);
    const entry = m.parts.find((x) => x.n === n);
    await c.query("UPDATE retention_archives SET rows = $3, generation = $4 WHERE game_id = $1 AND day = $2", [p.gameId, day, m.rows, m.generation]);
    await appendAudit(c, {
      actor: d.actor,
      action: "retention.erase_rewrite",
      target: `archive:${key}`,
      details: { day, removedRows: removed, versionsDeleted: versions, oldSha256: part?.sha256 ?? null, newSha256: entry?.sha256 ?? null, rowsLeft: entry?.rows ?? 0, generation: m.generation },
    });
  });
  return { removed, versions, key };
}

/**
 * The store as the erasure job builds it from its environment: ARCHIVES_BUCKET, ARCHIVES_PREFIX
 * (player-events), ARCHIVES_KMS_KEY_ID, S3_ENDPOINT / AWS_REGION, as the retention job reads them.
 */
export async function archivesStoreFromEnv(pool: Pool, actor: string, env: NodeJS.ProcessEnv = process.env): Promise<PlayerDataStore> {
  const bucket: Bucket = { s3: createS3Client(loadS3Settings(env)), name: str(env, "ARCHIVES_BUCKET", ARCHIVE_DEFAULTS.bucket), encryption: loadEncryption(env) };
  return archivesStore({ pool, bucket, versioning: await bucketVersioning(bucket), prefix: str(env, "ARCHIVES_PREFIX", ARCHIVE_DEFAULTS.prefix), actor });
}

export function archivesStore(d: ArchivesStoreDeps): PlayerDataStore {
  return {
    name: "archives",
    export: (player, emit) => exportPlayer(d, player, emit),
    erase: async (player): Promise<EraseResult> => {
      let removed = 0;
      for (const loc of await locate(d.pool, player)) {
        await withArchiveLock(d.pool, player.gameId, loc.day, async () => {
          for (const n of loc.parts) removed += (await erasePart(d, player, loc.day, n)).removed;
        });
      }
      return { removed };
    },
  };
}

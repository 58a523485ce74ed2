// GDPR in archives: the archives store exports a player's archived rows, and erasing rewrites every
// object that held them, deletes every older version, and leaves the other players' rows exactly as
// they were. Against S3Proxy (no versioning: one version per key) and against S3Mock with a
// versioned bucket and SSE-KMS (what the production archives bucket is), including a SIGKILL mid-rewrite.
import { ParquetReader } from "@dsnp/parquetjs";
import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import type { Pool } from "pg";
import { readManifest } from "../../../apps/shared/archive/manifest";
import { checkArchive } from "../../../apps/shared/archive/verify";
import { archivesStore } from "../../../apps/shared/player-data/archives";
import type { ExportRecord, PlayerDataStore } from "../../../apps/shared/player-data/types";
import { runRetention } from "../../../apps/retention/job";
import { restoreDays } from "../../../apps/retention/restore";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { freePort } from "../../../local/net";
import { ensureBucket, startS3Mock, stopS3Peer, type S3Peer } from "../../../local/s3-peers";
import { OLD, retentionWorld, runCli, seedDay, snapshot, type RetentionWorld } from "./support";

const days = [OLD(40), OLD(41)];
const VICTIM = "erase-me";
const KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000001";
// S3Mock validates the key id part only; AWS S3 takes the id or the ARN (production passes the ARN).
const KMS_KEY = "00000000-0000-4000-8000-000000000001";
const ERASE_CLI = join(__dirname, "erase-cli.ts");

async function seed(pool: Pool): Promise<void> {
  for (const d of days) {
    await seedDay(pool, "omega", d, 1200, 30);
    await seedDay(pool, "omega", d, 25, 1, VICTIM);
  }
  // The seeded victim ids are "erase-me0": one player.
  await pool.query("UPDATE player_events SET player_id = $1 WHERE player_id = $2", [VICTIM, `${VICTIM}0`]);
}

/** Player ids in every stored version of every object under the prefix, decoded by parquetjs. */
async function playersInEveryVersion(w: RetentionWorld, versioned: boolean): Promise<{ players: Set<string>; versions: number }> {
  const { s3, name } = w.bucket;
  const entries: { key: string; versionId?: string }[] = [];
  if (versioned) {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: name, Prefix: `${w.prefix}/` }));
    for (const v of out.Versions ?? []) entries.push({ key: v.Key as string, versionId: v.VersionId });
  } else {
    const { listKeys } = await import("../../../apps/shared/s3/objects");
    for (const key of await listKeys(w.bucket, `${w.prefix}/`)) entries.push({ key });
  }
  const players = new Set<string>();
  for (const e of entries.filter((x) => x.key.endsWith(".parquet"))) {
    const out = await s3.send(new GetObjectCommand({ Bucket: name, Key: e.key, VersionId: e.versionId }));
    const reader = await ParquetReader.openBuffer(Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()));
    const cursor = reader.getCursor([["player_id"]]);
    for (let r = (await cursor.next()) as { player_id: string } | null; r !== null; r = (await cursor.next()) as { player_id: string } | null) players.add(r.player_id);
    await reader.close();
  }
  return { players, versions: entries.length };
}

async function exportAll(store: PlayerDataStore): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  await store.export({ gameId: "omega", playerId: VICTIM }, async (r) => void out.push(r));
  return out;
}

async function eraseEverywhere(w: RetentionWorld, versioned: boolean): Promise<void> {
  const victimRows = Number((await w.pool.query("SELECT count(*) AS n FROM player_events WHERE player_id = $1", [VICTIM])).rows[0].n);
  const others = (await snapshot(w.pool)).filter((j) => !j.includes(`"player_id":"${VICTIM}"`));
  expect(victimRows).toBe(50);
  await runRetention(w.deps());
  const store = archivesStore({ pool: w.pool, bucket: w.bucket, versioning: w.target.versioning, prefix: w.prefix, actor: "service:users" });

  const exported = await exportAll(store);
  expect(exported).toHaveLength(victimRows);
  expect(exported.every((r) => r.store === "archives" && r.data.player_id === VICTIM)).toBe(true);
  expect((await playersInEveryVersion(w, versioned)).players.has(VICTIM)).toBe(true);

  const result = await store.erase({ gameId: "omega", playerId: VICTIM });
  expect(result.removed).toBe(victimRows);
  const after = await playersInEveryVersion(w, versioned);
  expect(after.players.has(VICTIM)).toBe(false);
  expect(after.players.size).toBe(30);
  for (const d of days) {
    const m = await readManifest(w.bucket, w.prefix, "omega", d);
    expect(m?.manifest.rows).toBe(1200);
    expect((await checkArchive(w.bucket, m!.manifest)).problems).toEqual([]);
  }
  expect((await w.pool.query("SELECT count(*) AS n FROM retention_archived_players WHERE player_id = $1", [VICTIM])).rows[0].n).toBe("0");
  const rewrites = (await w.pool.query<{ details: { removedRows: number } }>("SELECT details FROM audit_log WHERE action = 'retention.erase_rewrite'")).rows;
  expect(rewrites.reduce((n, r) => n + r.details.removedRows, 0)).toBe(victimRows);
  expect(await exportAll(store)).toEqual([]);
  expect(await store.erase({ gameId: "omega", playerId: VICTIM })).toEqual({ removed: 0 });

  // The other players' rows are exactly what they were.
  await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 0 }, "omega", days[0], days[1]);
  expect(await snapshot(w.pool)).toEqual(others);
}

describe("archives store on S3Proxy (single-version keys)", () => {
  let w: RetentionWorld;
  beforeAll(async () => {
    w = await retentionWorld("erase_proxy", undefined, undefined, 300);
    await seed(w.pool);
  });
  afterAll(() => w.close());

  it("rewrites every object holding the player and keeps everyone else's rows", async () => {
    expect(w.target.versioning).toBe("single");
    await eraseEverywhere(w, false);
  });
});

describe("archives store on a versioned, SSE-KMS bucket (S3Mock)", () => {
  let peer: S3Peer;
  let w: RetentionWorld;
  beforeAll(async () => {
    const port = await freePort();
    peer = await startS3Mock(port, join(REPO_ROOT, ".local", "test", `s3mock-${port}`), [KMS_KEY_ARN], () => undefined);
    await ensureBucket(peer, "archives-versioned", true);
    w = await retentionWorld("erase_versioned", peer.endpoint, "archives-versioned", 300);
    await seed(w.pool);
  }, 120_000);
  afterAll(async () => {
    await w.close();
    await stopS3Peer(peer, true);
  });

  it("deletes the noncurrent versions too: no version of any object holds the player", async () => {
    expect(w.target.versioning).toBe("versioned");
    // A crash after the parts and a rerun leave an older version of every part, holding the player too.
    expect((await runCli(w.env, ["run"], "after-parts")).signal).toBe("SIGKILL");
    expect((await runCli(w.env, ["run"])).code).toBe(0);
    const before = await w.bucket.s3.send(new ListObjectVersionsCommand({ Bucket: w.bucket.name, Prefix: `${w.prefix}/game_id=omega/` }));
    expect((before.Versions ?? []).filter((v) => v.IsLatest !== true && v.Key?.endsWith(".parquet")).length).toBeGreaterThan(0);
    await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 0 }, "omega", days[0], days[1]);
    await eraseEverywhere(w, true);
  });

  it("encrypts every object with the configured KMS key", async () => {
    const encrypted = { ...w, bucket: { ...w.bucket, encryption: { kind: "sse-kms" as const, keyId: KMS_KEY } } };
    const sse = { ...w.deps(), target: { ...w.target, bucket: encrypted.bucket } };
    await seedDay(w.pool, "kms", OLD(50), 10, 2);
    const run = await runRetention(sse);
    expect(run.pending).toEqual([]);
    const m = await readManifest(w.bucket, w.prefix, "kms", OLD(50));
    const head = await w.bucket.s3.send(new HeadObjectCommand({ Bucket: w.bucket.name, Key: m!.manifest.parts[0].key }));
    expect(head.ServerSideEncryption).toBe("aws:kms");
    expect(head.SSEKMSKeyId).toBe(KMS_KEY);
  });
});

describe("SIGKILL of the erasure between the rewritten object and its manifest", () => {
  let w: RetentionWorld;
  beforeAll(async () => {
    w = await retentionWorld("erase_crash", undefined, undefined, 300);
    await seed(w.pool);
    await runRetention(w.deps());
  });
  afterAll(() => w.close());

  it("is finished by the next run, and the archive verifies again", async () => {
    const crashed = await runCli(w.env, ["omega", VICTIM], "after-rewrite-object", ERASE_CLI);
    expect(crashed.signal).toBe("SIGKILL");
    const m = await readManifest(w.bucket, w.prefix, "omega", days[0]);
    expect((await checkArchive(w.bucket, m!.manifest)).problems).toEqual([expect.stringMatching(/has SHA-256 [0-9a-f]{64}, the manifest says/)]);
    const rerun = await runCli(w.env, ["omega", VICTIM], undefined, ERASE_CLI);
    expect(rerun.code).toBe(0);
    for (const d of days) {
      const after = await readManifest(w.bucket, w.prefix, "omega", d);
      expect((await checkArchive(w.bucket, after!.manifest)).problems).toEqual([]);
      expect(after?.manifest.rows).toBe(1200);
    }
    expect((await playersInEveryVersion(w, false)).players.has(VICTIM)).toBe(false);
  });
});

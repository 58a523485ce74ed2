// `npm run bench:retention [-- --rows N] [--json]`: archive throughput of one expired day (PostgreSQL
// cursor -> Parquet -> S3Proxy, multipart above 8 MB) and verification throughput (download, SHA-256,
// decode, digest), next to raw `COPY (SELECT ... FROM <partition>) TO` of the same rows in the same
// run. Median of 3 with the spread; its own scratch database and a fresh S3Proxy, removed afterwards.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { readShape } from "../apps/shared/archive/columns";
import { addDays, partitionOfDay, today } from "../apps/shared/archive/layout";
import { checkArchive } from "../apps/shared/archive/verify";
import { str } from "../apps/shared/config";
import { ensureDatabase, migrate } from "../apps/shared/db/migrate";
import { createPool } from "../apps/shared/pg";
import { createS3Client } from "../apps/shared/s3/client";
import { deleteVersions, listKeys, type Bucket } from "../apps/shared/s3/objects";
import { archiveDay } from "../apps/retention/archive";
import { REPO_ROOT } from "../local/kafka-broker";
import { freePort } from "../local/net";
import { ensureBucket, LOCAL_S3_CREDENTIALS, startS3Proxy, stopS3Peer } from "../local/s3-peers";

const RUNS = 3;

function median(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

async function seed(url: string, day: string, rows: number): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query("SELECT gm_ensure_event_partition($1::date)", [day]);
  // Rows shaped like the processor's: 2,000 players, payloads of ~120 bytes, microsecond times.
  await c.query(
    `INSERT INTO player_events (event_id, event_time, event_day, received_at, client_time, game_id, player_id, session_id, event_type, platform, app_version, payload, src_partition, src_offset)
     SELECT gen_random_uuid(), t, $1::date, t + interval '1.5 seconds', t, 'bench', 'player-' || (i % 2000), 's-' || (i % 9000),
            (ARRAY['session_start', 'design', 'purchase', 'progression'])[1 + i % 4], 'android', '2.3.' || (i % 7),
            jsonb_build_object('design_id', 'ui.shop.item.' || (i % 50), 'amount_minor', i % 1000, 'currency', 'EUR', 'level', i % 80), i % 12, i
       FROM generate_series(1, $2::int) AS i, LATERAL (SELECT ($1::date)::timestamptz + make_interval(secs => i * (86000.0 / $2)) AS t) AS x`,
    [day, rows],
  );
  await c.query("ANALYZE player_events");
  await c.end();
}

function copyBaseline(url: string, partition: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-c", `\\copy (SELECT * FROM ${partition} WHERE game_id = 'bench') TO '/dev/null'`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "300000" }, json: { type: "boolean", default: false } } });
  const rows = Number(values.rows);
  const base = new URL(str(process.env, "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gamemetrics"));
  base.pathname = `${base.pathname}_retention_bench`;
  const url = base.toString();
  const log = (line: string) => void process.stderr.write(`[bench:retention] ${line}\n`);
  await ensureDatabase(url);
  await migrate(url);
  const port = await freePort();
  const peer = await startS3Proxy(port, join(REPO_ROOT, ".local", "bench", `s3proxy-${port}`), log);
  const pool = createPool(url, 4);
  try {
    await ensureBucket(peer, "bench-archives");
    const day = addDays(today(), -400);
    const partition = partitionOfDay(day);
    await pool.query(`DROP TABLE IF EXISTS ${partition}`);
    log(`seeding ${rows} rows into ${partition}...`);
    await seed(url, day, rows);
    const shape = await readShape(pool);
    const s3 = createS3Client({ endpoint: peer.endpoint, region: "us-east-1", credentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    const bucket: Bucket = { s3, name: "bench-archives", encryption: { kind: "bucket-default" } };
    const target = { bucket, versioning: "single" as const, prefix: "bench", partRows: 200_000 };
    const copy: number[] = [];
    const archive: number[] = [];
    const verify: number[] = [];
    let bytes = 0;
    let parts = 0;
    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    for (let run = 0; run < RUNS; run++) {
      for (const k of await listKeys(bucket, "bench/")) await deleteVersions(bucket, "single", k, "none");
      copy.push(rows / copyBaseline(url, partition));
      const client = await pool.connect();
      const t0 = process.hrtime.bigint();
      const a = await archiveDay(client, target, shape, partition, "bench", day);
      const t1 = process.hrtime.bigint();
      client.release();
      const check = await checkArchive(bucket, a.stored.manifest);
      const t2 = process.hrtime.bigint();
      if (check.problems.length > 0 || a.stored.manifest.rows !== rows) throw new Error(`archive did not verify: ${check.problems.join("; ")}`);
      archive.push(rows / (Number(t1 - t0) / 1e9));
      verify.push(rows / (Number(t2 - t1) / 1e9));
      bytes = a.stored.manifest.parts.reduce((n, p) => n + p.bytes, 0);
      parts = a.stored.manifest.parts.length;
      log(`run ${run + 1}: COPY ${copy.at(-1)?.toFixed(0)} rows/s, archive ${archive.at(-1)?.toFixed(0)} rows/s, verify ${verify.at(-1)?.toFixed(0)} rows/s`);
    }
    clearInterval(sampler);
    const pgBytes = Number((await pool.query<{ b: string }>("SELECT pg_total_relation_size($1::regclass) AS b", [partition])).rows[0].b);
    const r = {
      rows,
      runs: RUNS,
      copyToRowsPerSec: median(copy),
      archiveRowsPerSec: median(archive),
      verifyRowsPerSec: median(verify),
      archiveVsCopy: median(archive).median / median(copy).median,
      parquetBytes: bytes,
      parts,
      partitionBytes: pgBytes,
      compression: pgBytes / bytes,
      rssPeakMb: rssPeak / 1e6,
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
    } else {
      const f = (m: { median: number; min: number; max: number }) => `${Math.round(m.median).toLocaleString("en-US")} rows/s (${Math.round(m.min).toLocaleString("en-US")}-${Math.round(m.max).toLocaleString("en-US")})`;
      process.stdout.write(
        [
          `retention bench: ${rows.toLocaleString("en-US")} rows of one game-day, median of ${RUNS}`,
          `  raw COPY (SELECT ...) TO /dev/null   ${f(r.copyToRowsPerSec)}`,
          `  archive (cursor -> Parquet -> S3)    ${f(r.archiveRowsPerSec)}  = ${(r.archiveVsCopy * 100).toFixed(1)} % of raw COPY`,
          `  verify (download, SHA-256, decode)   ${f(r.verifyRowsPerSec)}`,
          `  size: partition ${(pgBytes / 1e6).toFixed(1)} MB in PostgreSQL -> ${(bytes / 1e6).toFixed(1)} MB of Parquet in ${parts} parts (${r.compression.toFixed(1)}x smaller)`,
          `  bench process RSS peak ${r.rssPeakMb.toFixed(0)} MB`,
          "",
        ].join("\n"),
      );
    }
    s3.destroy();
  } finally {
    await pool.end();
    await stopS3Peer(peer, true);
    const admin = new URL(url);
    admin.pathname = "/postgres";
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${base.pathname.slice(1)}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:retention failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

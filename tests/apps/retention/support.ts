// What the retention tests share: a scratch database of their own (the job treats every expired
// partition of player_events as its own), their own prefix of the test bucket on the run's S3Proxy,
// seeded days written with plain SQL, and the job run as a real child process that can be SIGKILLed.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Pool } from "pg";
import { addDays, today } from "../../../apps/shared/archive/layout";
import { createLogger } from "../../../apps/shared/logger";
import { createS3Client } from "../../../apps/shared/s3/client";
import { bucketVersioning, type Bucket } from "../../../apps/shared/s3/objects";
import type { ArchiveTarget } from "../../../apps/retention/archive";
import type { JobDeps } from "../../../apps/retention/job";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { LOCAL_S3_CREDENTIALS } from "../../../local/s3-peers";
import { bundle } from "../../../local/services";
import { TEST_ARCHIVES_BUCKET, testEnv } from "../support/env";
import { scratchDatabase, type ScratchDb } from "../support/scratch-db";

export const HOT_DAYS = 30;
/** Days well outside the hot window, and one inside it. */
export const OLD = (n: number): string => addDays(today(), -200 + n);
export const HOT_DAY = today();

export interface RetentionWorld {
  readonly db: ScratchDb;
  readonly pool: Pool;
  readonly prefix: string;
  readonly bucket: Bucket;
  readonly target: ArchiveTarget;
  readonly env: Record<string, string>;
  deps(partRows?: number): JobDeps;
  close(): Promise<void>;
}

export const localCredentials = { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY };

export async function retentionWorld(label: string, endpoint = testEnv("s3Endpoint"), bucketName = TEST_ARCHIVES_BUCKET, partRows = 1000): Promise<RetentionWorld> {
  const db = await scratchDatabase(`ret_${label}`);
  const prefix = `t-${label.replace(/_/g, "-")}-${randomBytes(3).toString("hex")}`;
  const s3 = createS3Client({ endpoint, region: "us-east-1", credentials: localCredentials });
  const bucket: Bucket = { s3, name: bucketName, encryption: { kind: "bucket-default" } };
  const target: ArchiveTarget = { bucket, versioning: await bucketVersioning(bucket), prefix, partRows };
  const env = {
    DATABASE_URL: db.url,
    S3_ENDPOINT: endpoint,
    AWS_REGION: "us-east-1",
    ...LOCAL_S3_CREDENTIALS,
    ARCHIVES_BUCKET: bucketName,
    ARCHIVES_PREFIX: prefix,
    RETENTION_HOT_DAYS: String(HOT_DAYS),
    RETENTION_PART_ROWS: String(partRows),
    LOG_LEVEL: "info",
  };
  return {
    db,
    pool: db.pool,
    prefix,
    bucket,
    target,
    env,
    deps: (rows = partRows) => ({ pool: db.pool, target: { ...target, partRows: rows }, hotDays: HOT_DAYS, logger: createLogger("retention-test", "error"), actor: "service:retention", today: today() }),
    close: async () => {
      s3.destroy();
      await db.drop();
    },
  };
}

/**
 * `n` events of `gameId` on `day` over `players` players, with microsecond timestamps, NULLs, and
 * JSON payloads with unicode, quotes and numbers, as the processor would have stored them.
 */
export async function seedDay(pool: Pool, gameId: string, day: string, n: number, players: number, playerPrefix = "p"): Promise<void> {
  await pool.query("SELECT gm_ensure_event_partition($1::date)", [day]);
  await pool.query(
    `INSERT INTO player_events (event_id, event_time, event_day, received_at, client_time, game_id, player_id, session_id, event_type, platform, app_version, payload, src_partition, src_offset)
     SELECT gen_random_uuid(), t, $1::date, t + interval '2.5 seconds', CASE WHEN i % 4 = 0 THEN NULL ELSE t - interval '1 millisecond' END, $2,
            $5 || (i % $4), CASE WHEN i % 3 = 0 THEN NULL ELSE 's-' || (i % 17) END, (ARRAY['session_start', 'design', 'purchase', 'progression'])[1 + i % 4],
            CASE WHEN i % 2 = 0 THEN 'ios' ELSE NULL END, '1.' || (i % 5),
            jsonb_build_object('i', i, 'label', 'é ✓ "q" ' || i, 'amount_minor', i * 7, 'ratio', i / 7.0, 'tags', jsonb_build_array('a', i % 3)),
            i % 2, 1000000000000 + i
       FROM generate_series(1, $3::int) AS i, LATERAL (SELECT ($1::date)::timestamptz + make_interval(secs => i * 7.123457) AS t) AS x`,
    [day, gameId, n, players, playerPrefix],
  );
}

/** Every row of player_events (optionally of one game) as PostgreSQL's own JSON text, sorted: the equality the tests compare. */
export async function snapshot(pool: Pool, gameId?: string): Promise<string[]> {
  const { rows } = await pool.query<{ j: string }>(
    `SELECT row_to_json(p)::text AS j FROM player_events p ${gameId === undefined ? "" : "WHERE game_id = $1"} ORDER BY event_id`,
    gameId === undefined ? [] : [gameId],
  );
  return rows.map((r) => r.j);
}

export async function partitionExists(pool: Pool, day: string): Promise<boolean> {
  const { rows } = await pool.query("SELECT 1 FROM pg_class WHERE relname = $1", [`player_events_p${day.replace(/-/g, "")}`]);
  return rows.length === 1;
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs the retention CLI as a child process. With `pauseAt`, waits until the child reports it reached
 * that point, then kills it with SIGKILL (no chance to clean up), and resolves after it died.
 */
export async function runCli(env: Record<string, string>, args: string[], pauseAt?: string, script?: string): Promise<ChildRun> {
  const entry = script ?? (await bundle("retention"));
  const logs = join(REPO_ROOT, ".local", "test", "logs");
  mkdirSync(logs, { recursive: true });
  const log = createWriteStream(join(logs, `retention-${env.ARCHIVES_PREFIX}.log`), { flags: "a" });
  const child = spawn(process.execPath, script === undefined ? ["--enable-source-maps", entry, ...args] : ["--import", "tsx", entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, ...(pauseAt === undefined ? {} : { ARCHIVE_PAUSE_AT: pauseAt }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout.pipe(log, { end: false });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
    log.write(c);
    if (pauseAt !== undefined && stderr.includes(`paused at ${pauseAt}`)) child.kill("SIGKILL");
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (c, s) => resolve([c, s])));
  log.end();
  return { code, signal, stderr };
}

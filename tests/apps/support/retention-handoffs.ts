// What the daily retention run does first (apps/retention/gdpr.ts), run every 300 ms beside a test's
// users service: answer the archives hand-offs of GDPR requests, over the real S3 peer.
import type { Pool } from "pg";
import { answerArchiveHandoffs } from "../../../apps/retention/gdpr";
import { createLogger } from "../../../apps/shared/logger";
import type { PlayerDataStore } from "../../../apps/shared/player-data";
import { archivesStore } from "../../../apps/shared/player-data/archives";
import { createS3Client } from "../../../apps/shared/s3/client";
import { LOCAL_S3_CREDENTIALS } from "../../../local/s3-peers";
import { TEST_ARCHIVES_BUCKET, testEnv } from "./env";

export interface ArchivesAnswerer {
  /** The archives as the retention job reads and rewrites them (under this test's prefix). */
  readonly archives: PlayerDataStore;
  stop(): void;
}

/** Answers the archives hand-offs found in `pool` until stopped; the users service should look again often (GDPR_MAX_BACKOFF_MS). */
export function answerArchivesEvery300ms(pool: Pool, prefix: string): ArchivesAnswerer {
  const credentials = { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY };
  const s3 = createS3Client({ endpoint: testEnv("s3Endpoint"), region: "us-east-1", credentials });
  const archives = archivesStore({ pool, bucket: { s3, name: TEST_ARCHIVES_BUCKET, encryption: { kind: "bucket-default" } }, versioning: "single", prefix, actor: "service:retention" });
  const logger = createLogger("test", "error");
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    answerArchiveHandoffs(pool, archives, logger)
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 300);
  return { archives, stop: () => clearInterval(timer) };
}

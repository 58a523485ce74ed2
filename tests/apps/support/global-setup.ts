// Brings up the test data plane once per `jest` run, with the same code as `npm run local`:
// reuses PostgreSQL/Redis when they answer, starts a dedicated KRaft broker in production's security
// mode (port 19092 unless KAFKA_TEST_PORT says otherwise), an S3Proxy, and uses its own database, gamemetrics_test.
import { join } from "node:path";
import { freePort } from "../../../local/net";
import { brokerOptions, DataPlane, profile, upDataPlane } from "../../../local/platform";
import { MissingPrerequisite } from "../../../local/prereqs";
import { ensureBucket, startS3Proxy, type S3Peer } from "../../../local/s3-peers";
import { TEST_ARCHIVES_BUCKET, TEST_ENV } from "./env";

declare global {
  var __gmDataPlane: DataPlane | undefined;
  var __gmS3Proxy: S3Peer | undefined;
}


export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const log = (line: string) => void process.stderr.write(`[apps tests] +${((Date.now() - t0) / 1000).toFixed(1)}s ${line}\n`);
  try {
    const plane = await upDataPlane(profile("test"), "", log);
    globalThis.__gmDataPlane = plane;
    process.env[TEST_ENV.databaseUrl] = plane.profile.databaseUrl;
    process.env[TEST_ENV.redisUrl] = plane.profile.redisUrl;
    process.env[TEST_ENV.kafka] = plane.kafka.bootstrap;
    process.env[TEST_ENV.kafkaDir] = brokerOptions(plane.profile).dir;
    // S3: a fresh S3Proxy on a free port per run, so checkouts testing side by side never share one.
    const port = await freePort();
    const s3 = await startS3Proxy(port, join(plane.profile.dir, `s3proxy-${port}`), log);
    globalThis.__gmS3Proxy = s3;
    await ensureBucket(s3, TEST_ARCHIVES_BUCKET);
    process.env[TEST_ENV.s3Endpoint] = s3.endpoint;
    log("services ready");
  } catch (err) {
    const what = err instanceof MissingPrerequisite ? err.message : `could not bring up Kafka/PostgreSQL/Redis/S3Proxy: ${(err as Error).message}`;
    throw new Error(`apps tests need real services; ${what}`);
  }
}

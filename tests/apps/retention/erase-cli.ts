// The GDPR job's call into the archives store, as a process of its own so a test can SIGKILL it
// mid-rewrite: `node --import tsx erase-cli.ts <game> <player>` with the retention env.
import { archivesStore } from "../../../apps/shared/player-data/archives";
import { createPool } from "../../../apps/shared/pg";
import { createS3Client, loadEncryption, loadS3Settings } from "../../../apps/shared/s3/client";
import { bucketVersioning, type Bucket } from "../../../apps/shared/s3/objects";

async function main(): Promise<void> {
  const [gameId, playerId] = process.argv.slice(2);
  const pool = createPool(process.env.DATABASE_URL as string, 2);
  const bucket: Bucket = { s3: createS3Client(loadS3Settings()), name: process.env.ARCHIVES_BUCKET as string, encryption: loadEncryption() };
  const store = archivesStore({ pool, bucket, versioning: await bucketVersioning(bucket), prefix: process.env.ARCHIVES_PREFIX as string, actor: "service:users" });
  process.stdout.write(`${JSON.stringify(await store.erase({ gameId, playerId }))}\n`);
  await pool.end();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});

// The GDPR job's call into the archives store, as a process of its own so a test can SIGKILL it
// mid-rewrite: `node --import tsx erase-cli.ts <game> <player>` with the retention env.
import { archivesStoreFromEnv } from "../../../apps/shared/player-data/archives";
import { createPool } from "../../../apps/shared/pg";

async function main(): Promise<void> {
  const [gameId, playerId] = process.argv.slice(2);
  const pool = createPool(process.env.DATABASE_URL as string, 2);
  const store = await archivesStoreFromEnv(pool, "service:users");
  process.stdout.write(`${JSON.stringify(await store.erase({ gameId, playerId }))}\n`);
  await pool.end();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});

// `npm run migrate`: creates the database if needed and applies pending migrations (safe to rerun).
import { loadCommonConfig } from "../shared/config";
import { ensureDatabase, migrate } from "../shared/db/migrate";
import { runCommand } from "../shared/command";

async function main(): Promise<void> {
  const { databaseUrl } = loadCommonConfig();
  await ensureDatabase(databaseUrl);
  const applied = await migrate(databaseUrl);
  const where = new URL(databaseUrl);
  where.password = "";
  process.stdout.write(applied.length === 0 ? `schema up to date (${where.host}${where.pathname})\n` : `applied ${applied.join(", ")}\n`);
}

runCommand("migrate", main);

// A migrated database of its own for a test that must damage or fully own its tables (tampering with
// the audit log, counting every row of a store), so it never disturbs the shared test database.
import { randomBytes } from "node:crypto";
import { Client, Pool } from "pg";
import { ensureDatabase, migrate } from "../../../apps/shared/db/migrate";
import { testEnv } from "./env";

export interface ScratchDb {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

export async function scratchDatabase(label: string): Promise<ScratchDb> {
  const name = `gm_scratch_${label.replace(/[^a-z0-9_]/g, "_")}_${randomBytes(3).toString("hex")}`;
  const url = new URL(testEnv("databaseUrl"));
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  await migrate(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 12 });
  // pool.end() resolves before its sockets have closed; DROP ... WITH (FORCE) may then terminate a
  // backend that is still closing, which the pool would re-emit as an unhandled error.
  pool.on("error", () => undefined);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const admin = new Client({ connectionString: testEnv("databaseUrl") });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

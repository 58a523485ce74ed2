import { Pool } from "pg";

export type { Pool, PoolClient } from "pg";

export function createPool(databaseUrl: string, max = 10): Pool {
  return new Pool({ connectionString: databaseUrl, max, application_name: "gamemetrics" });
}

/** Runs fn inside one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: Pool, fn: (c: import("pg").PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

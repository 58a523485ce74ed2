import { Pool } from "pg";

export type { Pool, PoolClient } from "pg";

export function createPool(databaseUrl: string, max = 10): Pool {
  return new Pool({ connectionString: databaseUrl, max, application_name: "gamemetrics" });
}

/**
 * Runs fn inside one transaction: COMMIT when it resolves, ROLLBACK when it throws. `begin` may add
 * settings in the same round trip (e.g. "BEGIN READ ONLY; SET LOCAL statement_timeout = 2000").
 */
export async function inTransaction<T>(pool: Pool, fn: (c: import("pg").PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
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

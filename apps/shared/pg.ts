import { Pool, type PoolClient } from "pg";

export type { Pool, PoolClient } from "pg";

export interface PoolTimeouts {
  /** Waiting for a connection (a new one or a free pooled one). */
  connectMs: number;
  /** One statement, enforced by the server (statement_timeout) and by the client. */
  statementMs: number;
}

export const DEFAULT_POOL_TIMEOUTS: PoolTimeouts = { connectMs: 5000, statementMs: 30_000 };

/**
 * A pool that survives the database going away: connection and statement timeouts, so nothing
 * waits forever on a server that stopped answering, and an error handler for idle clients (a
 * restart or failover closes them; without a handler that would end the process), idle or checked out.
 */
export function createPool(databaseUrl: string, max = 10, onError?: (err: Error) => void, timeouts: PoolTimeouts = DEFAULT_POOL_TIMEOUTS): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    application_name: "gamemetrics",
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 1000,
    idle_in_transaction_session_timeout: timeouts.statementMs * 2,
  });
  pool.on("error", (err) => onError?.(err));
  // A client that is checked out when its connection dies emits "error" on itself, not on the pool;
  // unhandled, that ends the process. Its query rejects as well, which is where callers see it.
  pool.on("connect", (client) => client.on("error", (err) => onError?.(err)));
  return pool;
}

/**
 * Runs fn inside one transaction: COMMIT when it resolves, ROLLBACK when it throws. `begin` may add
 * settings in the same round trip (e.g. "BEGIN READ ONLY; SET LOCAL statement_timeout = 2000").
 */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    // A connection that cannot even roll back is closed rather than handed to the next caller.
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

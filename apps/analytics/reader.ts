// Every query runs in a read-only transaction with its own statement timeout (SET LOCAL), on the
// read replica when DATABASE_READ_URL names one. This service never writes to PostgreSQL.
import type { Pool, QueryResultRow } from "pg";
import { inTransaction } from "../shared/pg";

export interface Reader {
  rows<T extends QueryResultRow>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

export function createReader(pool: Pool, statementTimeoutMs: number): Reader {
  const begin = `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(statementTimeoutMs)}; SET LOCAL TIME ZONE 'UTC'`;
  return {
    rows: <T extends QueryResultRow>(sql: string, params: readonly unknown[]) =>
      inTransaction(pool, async (c) => (await c.query<T>(sql, params as unknown[])).rows, begin),
  };
}

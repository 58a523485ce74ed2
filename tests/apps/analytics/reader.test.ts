// The analytics reader against real PostgreSQL: every query runs read-only under its own
// statement_timeout, and the timeout does not leak into the pooled connection afterwards.
import { Pool } from "pg";
import { createReader } from "../../../apps/analytics/reader";
import { testEnv } from "../support/env";

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testEnv("databaseUrl"), max: 1 });
});
afterAll(async () => {
  await pool.end();
});

test("a statement over the timeout is cancelled (57014); writes are refused; the session keeps no setting", async () => {
  const db = createReader(pool, 200);
  const t0 = Date.now();
  await expect(db.rows("SELECT pg_sleep(5)", [])).rejects.toMatchObject({ code: "57014" });
  expect(Date.now() - t0).toBeLessThan(3000);
  await expect(db.rows("CREATE TABLE analytics_must_not_write (x int)", [])).rejects.toMatchObject({ code: "25006" });
  expect(await db.rows<{ n: number }>("SELECT 1 AS n", [])).toEqual([{ n: 1 }]);
  const { rows } = await pool.query<{ statement_timeout: string }>("SHOW statement_timeout");
  expect(rows[0].statement_timeout).toBe("0");
});

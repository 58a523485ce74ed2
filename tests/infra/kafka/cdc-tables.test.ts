// The CDC connector streams the users service's player tables: every table it names must exist in
// the migrations with a primary key (Debezium keys change events by it, and compaction needs a key),
// and no table holding credentials may ever be streamed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CDC_TABLES } from "../../../infra/kafka";
import { connectorConfig } from "../../../infra/kafka/cdc";

const MIGRATIONS = join(__dirname, "../../../apps/shared/db/migrations");

/** table -> { version of the migration that creates it, whether it declares a primary key }, read from the SQL. */
function createdTables(): Map<string, { version: number; primaryKey: boolean }> {
  const out = new Map<string, { version: number; primaryKey: boolean }>();
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql"))) {
    const sql = readFileSync(join(MIGRATIONS, file), "utf8");
    for (const m of sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+) \(([\s\S]*?)\n\)/g)) {
      out.set(`public.${m[1]}`, { version: Number(file.slice(0, 3)), primaryKey: /PRIMARY KEY/.test(m[2]) });
    }
  }
  return out;
}

test("every streamed table is created by the users service's migrations (020-029) with a primary key", () => {
  const tables = createdTables();
  expect(CDC_TABLES.length).toBeGreaterThan(0);
  for (const t of CDC_TABLES) {
    const created = tables.get(t);
    expect({ table: t, created: created !== undefined, users: created !== undefined && created.version >= 20 && created.version <= 29, primaryKey: created?.primaryKey }).toEqual({
      table: t,
      created: true,
      users: true,
      primaryKey: true,
    });
  }
});

test("tables with credentials or tokens are never streamed", () => {
  const tables = createdTables();
  for (const secretive of ["public.staff_accounts", "public.oauth_clients", "public.oidc_payloads", "public.api_keys"]) {
    expect(tables.has(secretive)).toBe(true);
    expect(CDC_TABLES).not.toContain(secretive);
  }
});

test("the connector includes exactly the listed tables", () => {
  expect(String(connectorConfig({ port: 5432, database: "gamemetrics" }, "db", 1)["table.include.list"]).split(",")).toEqual([...CDC_TABLES]);
});

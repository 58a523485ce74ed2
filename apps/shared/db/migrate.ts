import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";

export const MIGRATIONS_DIR = join(__dirname, "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Versioned files named `NNN_name.sql`, in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => {
      const m = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(f);
      if (m === null) throw new Error(`migration file "${f}" must be named NNN_name.sql`);
      const sql = readFileSync(join(dir, f), "utf8");
      return { version: Number(m[1]), name: m[2], sql, checksum: createHash("sha256").update(sql).digest("hex") };
    })
    .sort((a, b) => a.version - b.version);
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created meanwhile by someone else
      });
    }
  } finally {
    await admin.end();
  }
}

// Arbitrary constant: serialises concurrent migrators on one database.
const LOCK_KEY = 4_242_001;

/** Applies the migrations not applied yet, each in its own transaction; returns their names. */
export async function migrate(databaseUrl: string, migrations = loadMigrations()): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>("SELECT version, name, checksum FROM schema_migrations");
    const applied = new Map(rows.map((r) => [r.version, r]));
    const done: string[] = [];
    for (const m of migrations) {
      const prev = applied.get(m.version);
      if (prev !== undefined) {
        if (prev.checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [m.version, m.name, m.checksum]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      done.push(`${m.version}_${m.name}`);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

// Schema migrations, the API key CLI and the idempotent store, against the real PostgreSQL.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Client, Pool } from "pg";
import { decode } from "../../apps/processor/enrich";
import { insertEvents, Partitions } from "../../apps/processor/store";
import { createApiKey, findApiKey, hashKey } from "../../apps/shared/apikeys";
import { ensureDatabase, loadMigrations, migrate } from "../../apps/shared/db/migrate";
import { toWireEvent } from "../../apps/shared/events/normalize";
import { createEventValidators } from "../../apps/shared/events/validate";
import { REPO_ROOT } from "../../local/kafka-broker";
import { testEnv } from "./support/env";

const run = randomBytes(3).toString("hex");
let pool: Pool;
beforeAll(() => (pool = new Pool({ connectionString: testEnv("databaseUrl"), max: 2 })));
afterAll(async () => pool?.end());

test("migrations apply once, rerun as a no-op, and refuse an edited migration", async () => {
  const url = new URL(testEnv("databaseUrl"));
  url.pathname = `/gamemetrics_test_migrate_${run}`;
  await ensureDatabase(url.toString());
  try {
    const all = loadMigrations();
    expect(await migrate(url.toString())).toEqual(all.map((m) => `${m.version}_${m.name}`));
    expect(await migrate(url.toString())).toEqual([]);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: "edited" } : m));
    await expect(migrate(url.toString(), edited)).rejects.toThrow(`migration ${all[0].version}_${all[0].name} was changed after it was applied`);
  } finally {
    const admin = new Client({ connectionString: testEnv("databaseUrl") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS gamemetrics_test_migrate_${run} WITH (FORCE)`);
    await admin.end();
  }
});

const apikeyCli = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "apps", "admin", "apikey.ts"), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: testEnv("databaseUrl") },
    encoding: "utf8",
  });

test("`apikey create` prints a key once and stores only its hash; `revoke` disables it", async () => {
  const game = `cli-${run}`;
  const created = apikeyCli("create", "--game", game, "--rate-limit", "50");
  expect(created.status).toBe(0);
  const key = created.stdout.trim().split("\n").pop() as string;
  const found = await findApiKey(pool, key);
  expect(found).toMatchObject({ gameId: game, rateLimitPerSec: 50 });
  const { rows } = await pool.query("SELECT * FROM api_keys WHERE key_id = $1", [found?.keyId]);
  expect(rows[0].key_hash).toBe(hashKey(key));
  expect(JSON.stringify(rows[0])).not.toContain(key.split("_")[2]);

  expect(apikeyCli("revoke", "--key-id", found?.keyId as string).status).toBe(0);
  expect(await findApiKey(pool, key)).toBeUndefined();
  const bad = apikeyCli("create", "--game", "Not A Game");
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--game "Not A Game" is invalid');
});

test("storing the same batch twice inserts and counts each event once", async () => {
  const game = `store-${run}`;
  await createApiKey(pool, game);
  const validate = createEventValidators().wire;
  const now = Date.now();
  const rows = [
    toWireEvent({ type: "session_start", player_id: "p1" }, game, now),
    toWireEvent({ type: "purchase", player_id: "p1", currency: "USD", amount_minor: 250, item_type: "t", item_id: "i" }, game, now),
    toWireEvent({ type: "session_start", player_id: "p2", event_time: new Date(now - 2 * 86_400_000).toISOString() }, game, now),
  ].map((w, i) => {
    const d = decode({ topic: "raw", partition: 0, offset: String(i), timestamp: now, key: null, value: Buffer.from(JSON.stringify(w)), headers: {} }, validate);
    if (d.kind !== "ok") throw new Error(d.detail);
    return d.row;
  });
  const client = await pool.connect();
  try {
    await new Partitions().ensure(client, rows.map((r) => r.event_day));
    expect(await insertEvents(client, rows)).toBe(3);
    expect(await insertEvents(client, rows)).toBe(0);
  } finally {
    client.release();
  }
  const stats = await pool.query("SELECT player_id, events, sessions FROM player_stats WHERE game_id = $1 ORDER BY player_id", [game]);
  expect(stats.rows).toEqual([{ player_id: "p1", events: "2", sessions: "1" }, { player_id: "p2", events: "1", sessions: "1" }]);
  const rev = await pool.query("SELECT amount_minor, purchases FROM player_revenue WHERE game_id = $1", [game]);
  expect(rev.rows).toEqual([{ amount_minor: "250", purchases: "1" }]);
  const parts = await pool.query("SELECT count(DISTINCT tableoid)::int AS n FROM player_events WHERE game_id = $1", [game]);
  expect(parts.rows[0].n).toBe(2); // two days, two daily partitions
});

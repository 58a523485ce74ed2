// API keys while PostgreSQL is away: recently validated keys keep working, others get "unavailable"
// (the service answers 503), never "unknown" (401).
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { KeyCache, KeyStoreUnavailable } from "../../apps/ingestion/auth";
import { createApiKey } from "../../apps/shared/apikeys";
import { testEnv } from "./support/env";

test("a key validated before the database went away is still served; an unchecked one is unavailable, not unknown", async () => {
  const pool = new Pool({ connectionString: testEnv("databaseUrl"), max: 1 });
  const game = `cache-${randomBytes(3).toString("hex")}`;
  const known = await createApiKey(pool, game);
  const other = await createApiKey(pool, game);
  const cache = new KeyCache(pool, 0); // ttl 0: every lookup asks the database
  expect(await cache.lookup(known.key)).toMatchObject({ gameId: game });
  expect(await cache.lookup(known.key.slice(0, -1) + (known.key.endsWith("A") ? "B" : "A"))).toBeUndefined(); // same id, wrong secret
  expect(await cache.lookup("not-a-key")).toBeUndefined();
  await pool.end(); // the database is gone for this pool: every query now fails
  expect(await cache.lookup(known.key)).toMatchObject({ gameId: game });
  await expect(cache.lookup(other.key)).rejects.toBeInstanceOf(KeyStoreUnavailable);
  expect(await cache.lookup("gm_short")).toBeUndefined(); // malformed: refused without asking
});

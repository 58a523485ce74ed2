import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Pool } from "pg";
import { appendAudit } from "./audit";
import { inTransaction } from "./pg";

/** A key as presented by clients: `gm_<key id>_<secret>`. Only its hash is stored. */
const KEY_PATTERN = /^gm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  keyId: string;
  gameId: string;
  /** undefined: the service default applies. */
  rateLimitPerSec: number | undefined;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function parseKeyId(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function generateKey(): { keyId: string; key: string } {
  const keyId = randomBytes(8).toString("hex");
  return { keyId, key: `gm_${keyId}_${randomBytes(32).toString("base64url")}` };
}

/** Registers the game if new and creates a key for it, audited; returns the clear key (shown once). */
export async function createApiKey(pool: Pool, gameId: string, rateLimitPerSec?: number, actor = "cli:apikey"): Promise<{ keyId: string; key: string }> {
  const k = generateKey();
  await inTransaction(pool, async (c) => {
    await c.query("INSERT INTO games (game_id) VALUES ($1) ON CONFLICT DO NOTHING", [gameId]);
    await c.query("INSERT INTO api_keys (key_id, game_id, key_hash, rate_limit_per_sec) VALUES ($1, $2, $3, $4)", [k.keyId, gameId, hashKey(k.key), rateLimitPerSec ?? null]);
    await appendAudit(c, { actor, action: "apikey.create", target: `game:${gameId}`, details: { keyId: k.keyId, rateLimitPerSec: rateLimitPerSec ?? null } });
  });
  return k;
}

export async function revokeApiKey(pool: Pool, keyId: string, actor = "cli:apikey"): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    const r = await c.query<{ game_id: string }>("UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL RETURNING game_id", [keyId]);
    if (r.rows[0] === undefined) return false;
    await appendAudit(c, { actor, action: "apikey.revoke", target: `game:${r.rows[0].game_id}`, details: { keyId } });
    return true;
  });
}

/** The active key matching a presented one, or undefined (unknown, revoked or malformed). */
export async function findApiKey(pool: Pool, presented: string): Promise<ApiKeyRecord | undefined> {
  const keyId = parseKeyId(presented);
  if (keyId === undefined) return undefined;
  const { rows } = await pool.query<{ game_id: string; key_hash: string; rate_limit_per_sec: number | null }>(
    "SELECT game_id, key_hash, rate_limit_per_sec FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL",
    [keyId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const a = Buffer.from(row.key_hash, "hex");
  const b = Buffer.from(hashKey(presented), "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return { keyId, gameId: row.game_id, rateLimitPerSec: row.rate_limit_per_sec ?? undefined };
}

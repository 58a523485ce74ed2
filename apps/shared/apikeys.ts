import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Pool } from "pg";
import { appendAudit } from "./audit";
import { inTransaction } from "./pg";

/** A key as presented by clients: `gm_<key id>_<secret>`. Only its hash is stored. */
const KEY_PATTERN = /^gm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  keyId: string;
  gameId: string;
  /** Events per second; undefined: the service default applies. */
  rateLimitPerSec: number | undefined;
  /** Events allowed at once above the rate; undefined: the service default applies. */
  rateLimitBurst?: number;
  /** Origins browsers may send this game's events from ("*": any); empty: no browser access. */
  corsOrigins?: string[];
}

/** An active key as stored: its hash, to be compared with a presented key's. */
export interface StoredKey {
  keyHash: string;
  record: ApiKeyRecord;
}

/** The active key with this id, or undefined (unknown or revoked). */
export async function findKeyById(pool: Pool, keyId: string): Promise<StoredKey | undefined> {
  const { rows } = await pool.query<{ game_id: string; key_hash: string; rate_limit_per_sec: number | null; rate_limit_burst: number | null; cors_origins: string[] }>(
    "SELECT game_id, key_hash, rate_limit_per_sec, rate_limit_burst, cors_origins FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL",
    [keyId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    keyHash: row.key_hash,
    record: { keyId, gameId: row.game_id, rateLimitPerSec: row.rate_limit_per_sec ?? undefined, rateLimitBurst: row.rate_limit_burst ?? undefined, corsOrigins: row.cors_origins },
  };
}

/** The presented key hashes to the stored hash (constant time). */
export function hashMatches(presented: string, keyHash: string): boolean {
  const a = Buffer.from(keyHash, "hex");
  const b = Buffer.from(hashKey(presented), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
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

/** Revokes an active key (of `gameId` only, when given), audited; false when there is no such active key. */
export async function revokeApiKey(pool: Pool, keyId: string, actor = "cli:apikey", gameId?: string): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    const r = await c.query<{ game_id: string }>(
      "UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR game_id = $2) RETURNING game_id",
      [keyId, gameId ?? null],
    );
    if (r.rows[0] === undefined) return false;
    await appendAudit(c, { actor, action: "apikey.revoke", target: `game:${r.rows[0].game_id}`, details: { keyId } });
    return true;
  });
}

export interface ApiKeyListing {
  keyId: string;
  createdAt: string;
  rateLimitPerSec: number | null;
  revokedAt: string | null;
}

/** A game's keys, newest first, revoked ones included (never a hash). */
export async function listApiKeys(pool: Pool, gameId: string): Promise<ApiKeyListing[]> {
  const { rows } = await pool.query<{ key_id: string; created_at: Date; rate_limit_per_sec: number | null; revoked_at: Date | null }>(
    "SELECT key_id, created_at, rate_limit_per_sec, revoked_at FROM api_keys WHERE game_id = $1 ORDER BY created_at DESC, key_id LIMIT 500",
    [gameId],
  );
  return rows.map((r) => ({ keyId: r.key_id, createdAt: r.created_at.toISOString(), rateLimitPerSec: r.rate_limit_per_sec, revokedAt: r.revoked_at?.toISOString() ?? null }));
}

/** The active key matching a presented one, or undefined (unknown, revoked or malformed). */
export async function findApiKey(pool: Pool, presented: string): Promise<ApiKeyRecord | undefined> {
  const keyId = parseKeyId(presented);
  if (keyId === undefined) return undefined;
  const stored = await findKeyById(pool, keyId);
  return stored !== undefined && hashMatches(presented, stored.keyHash) ? stored.record : undefined;
}

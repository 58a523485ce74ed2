import type { Pool } from "pg";
import { ApiKeyRecord, findKeyById, hashMatches, parseKeyId, StoredKey } from "../shared/apikeys";

/** The presented key from `x-api-key` or `Authorization: Bearer <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers["x-api-key"];
  if (typeof direct === "string" && direct !== "") return direct;
  const auth = headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7).trim() || undefined;
  return undefined;
}

/** The database could not be asked and no recent answer is at hand: the caller answers 503. */
export class KeyStoreUnavailable extends Error {}

/** A Map that forgets its oldest entry past `max` (insertion order; a hit moves an entry to the end). */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  get size(): number {
    return this.map.size;
  }
}

interface Entry {
  stored: StoredKey | undefined;
  expires: number;
}

/**
 * API keys by key id, never by the raw header: a malformed key is refused without a lookup, an
 * unknown id is remembered as unknown (bounded), and a stored key is compared by hash on every
 * request. While PostgreSQL cannot answer, keys validated in the last `staleMs` keep working;
 * other keys get KeyStoreUnavailable (503), not 401. Concurrent lookups of one id share one query.
 */
export class KeyCache {
  private readonly entries: BoundedMap<string, Entry>;
  private readonly inFlight = new Map<string, Promise<StoredKey | undefined>>();

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
    private readonly staleMs = 15 * 60_000,
    maxEntries = 10_000,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  async lookup(presented: string): Promise<ApiKeyRecord | undefined> {
    const keyId = parseKeyId(presented);
    if (keyId === undefined) return undefined;
    const now = Date.now();
    let entry = this.entries.get(keyId);
    if (entry === undefined || entry.expires <= now) {
      try {
        entry = { stored: await this.fetch(keyId), expires: now + this.ttlMs };
        this.entries.set(keyId, entry);
      } catch (err) {
        const stale = entry?.stored !== undefined && entry.expires + this.staleMs > now;
        if (!stale) throw new KeyStoreUnavailable((err as Error).message);
      }
    }
    const stored = entry?.stored;
    return stored !== undefined && hashMatches(presented, stored.keyHash) ? stored.record : undefined;
  }

  private fetch(keyId: string): Promise<StoredKey | undefined> {
    const running = this.inFlight.get(keyId);
    if (running !== undefined) return running;
    const p = findKeyById(this.pool, keyId).finally(() => this.inFlight.delete(keyId));
    this.inFlight.set(keyId, p);
    return p;
  }
}

/** Token buckets per source in memory, bounded in count: what limits unauthenticated attempts. */
export class SourceLimiter {
  private readonly buckets: BoundedMap<string, { tokens: number; at: number }>;

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    maxSources = 50_000,
  ) {
    this.buckets = new BoundedMap(maxSources);
  }

  /** Takes one token for `source`; false when it has none left. */
  take(source: string, now = Date.now()): boolean {
    const b = this.buckets.get(source) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) * this.perSec) / 1000);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(source, b);
    return ok;
  }

  /** Gives back a token taken for an attempt that turned out valid. */
  refund(source: string): void {
    const b = this.buckets.get(source);
    if (b !== undefined) b.tokens = Math.min(this.burst, b.tokens + 1);
  }
}

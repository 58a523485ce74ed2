// Redis cache-aside for computed recommendations, with stampede protection across pods.
//
// One hash per player, `<prefix>{<game>/<player>}`: a field per (kind, platform) holding the computed
// page, and `_gen`, a counter the updater bumps when the player's interactions change meaningfully.
// An entry is fresh while younger than its kind's TTL, from the live model version and of the current
// generation; past that (up to `staleSec` more) it is stale: served only while another pod holds the
// key's lock (`SET NX PX`) and recomputes. A pod that finds no usable entry and no lock computes;
// one that finds the lock and nothing stale waits for the holder's result. Erasure deletes the hash.
import type { RedisClient } from "../shared/redis";
import type { Kind } from "./interactions";
import type { Recommendation } from "./recommend";

export type CacheOutcome = "hit" | "miss" | "stale" | "waited";

export interface CacheSettings {
  readonly prefix: string;
  readonly ttlSec: Readonly<Record<Kind, number>>;
  readonly staleSec: number;
  readonly lockMs: number;
}

interface Entry {
  readonly at: number;
  readonly gen: number;
  readonly rec: Recommendation;
}

export interface CacheKey {
  readonly game: string;
  readonly player: string;
  readonly kind: Kind;
  readonly platform: string | null;
}

/** The hash tag keeps a player's hash and locks in one Redis Cluster slot. */
export const playerHash = (prefix: string, game: string, player: string): string => `${prefix}{${game}/${player}}`;
const field = (k: CacheKey): string => `${k.kind}|${k.platform ?? ""}`;
export const GEN_FIELD = "_gen";

// Deletes the lock only if this caller still holds it (it may have expired and been taken by another).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export type Freshness = "fresh" | "stale" | "unusable";

/** How an entry may be used now (pure). */
export function judge(e: Entry | null, gen: number, liveVersion: string, now: number, ttlMs: number, staleMs: number): Freshness {
  if (e === null || e.gen !== gen) return "unusable";
  const age = now - e.at;
  if (age < ttlMs && e.rec.version === liveVersion) return "fresh";
  return age < ttlMs + staleMs ? "stale" : "unusable";
}

export class RecommendationCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly s: CacheSettings,
  ) {}

  private async read(k: CacheKey): Promise<{ entry: Entry | null; gen: number }> {
    const [raw, gen] = await this.redis.hmget(playerHash(this.s.prefix, k.game, k.player), field(k), GEN_FIELD);
    return { entry: raw === null ? null : (JSON.parse(raw) as Entry), gen: gen === null ? 0 : Number(gen) };
  }

  private async write(k: CacheKey, e: Entry): Promise<void> {
    const hash = playerHash(this.s.prefix, k.game, k.player);
    const keepMs = (Math.max(...Object.values(this.s.ttlSec)) + this.s.staleSec) * 1000;
    await this.redis.multi().hset(hash, field(k), JSON.stringify(e)).pexpire(hash, keepMs).exec();
  }

  /**
   * Returns the cached page when usable, else computes it (once across pods per key), caches and
   * returns it. `compute` is called at most once per call.
   */
  async get(k: CacheKey, liveVersion: string, compute: () => Promise<Recommendation>): Promise<{ rec: Recommendation; outcome: CacheOutcome }> {
    const ttlMs = this.s.ttlSec[k.kind] * 1000;
    const staleMs = this.s.staleSec * 1000;
    const first = await this.read(k);
    const f = judge(first.entry, first.gen, liveVersion, Date.now(), ttlMs, staleMs);
    if (f === "fresh") return { rec: first.entry!.rec, outcome: "hit" };
    const lock = `${playerHash(this.s.prefix, k.game, k.player)}:lock:${field(k)}`;
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    if ((await this.redis.set(lock, token, "PX", this.s.lockMs, "NX")) === "OK") {
      try {
        return { rec: await this.computeAndStore(k, first.gen, compute), outcome: "miss" };
      } finally {
        // Not awaited: the answer does not depend on it, and the lock expires by itself if this fails.
        void this.redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
      }
    }
    if (f === "stale") return { rec: first.entry!.rec, outcome: "stale" };
    // Someone else is computing and there is nothing to serve meanwhile: wait for their result.
    const deadline = Date.now() + this.s.lockMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      const now = await this.read(k);
      if (judge(now.entry, now.gen, liveVersion, Date.now(), ttlMs, staleMs) === "fresh") return { rec: now.entry!.rec, outcome: "waited" };
    }
    // The holder died or is too slow: compute ourselves rather than fail the request.
    return { rec: await this.computeAndStore(k, first.gen, compute), outcome: "miss" };
  }

  private async computeAndStore(k: CacheKey, gen: number, compute: () => Promise<Recommendation>): Promise<Recommendation> {
    const at = Date.now();
    const rec = await compute();
    await this.write(k, { at, gen, rec });
    return rec;
  }

  /** The player's interactions changed: every cached page of theirs is unusable from now on. */
  async invalidate(players: readonly { game: string; player: string }[]): Promise<void> {
    if (players.length === 0) return;
    const keepMs = (Math.max(...Object.values(this.s.ttlSec)) + this.s.staleSec) * 1000;
    await Promise.all(players.map((p) => {
      const hash = playerHash(this.s.prefix, p.game, p.player);
      return this.redis.multi().hincrby(hash, GEN_FIELD, 1).pexpire(hash, keepMs).exec();
    }));
  }

  /** Every cached page of the player (GDPR export). */
  async entries(game: string, player: string): Promise<Record<string, string>> {
    return this.redis.hgetall(playerHash(this.s.prefix, game, player));
  }

  /** Removes the player's hash; returns how many keys went (GDPR erasure). */
  async erase(game: string, player: string): Promise<number> {
    return this.redis.del(playerHash(this.s.prefix, game, player));
  }
}

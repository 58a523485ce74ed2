// Results of queries over closed ranges (the range's last UTC day has ended) are cached in Redis: such
// a bucket changes only when late events arrive. Keys carry the game's generation; a late event for a
// closed day bumps it (now, and again once the read replica has surely caught up), so every cached
// answer of that game is passed over from then on and expires on its own.
import { createHash } from "node:crypto";
import type { Counter } from "prom-client";
import type { RedisClient } from "../shared/redis";

export interface ResultCache {
  /** Answers from the cache when it can, else computes, stores and answers. */
  through<T>(gameId: string, field: string, args: unknown, compute: () => Promise<T>): Promise<T>;
  /** A late event changed a closed day of the game. */
  invalidate(gameId: string): void;
  close(): void;
}

export interface CacheOptions {
  readonly prefix: string;
  readonly ttlSec: number;
  readonly replicaLagMs: number;
  readonly metrics: { hits: Counter; misses: Counter; invalidations: Counter };
  readonly onError: (err: unknown) => void;
}

export function createResultCache(redis: RedisClient, o: CacheOptions): ResultCache {
  const genKey = (g: string) => `${o.prefix}gen:${g}`;
  const timers = new Map<string, NodeJS.Timeout>();
  const lastBump = new Map<string, number>();
  const bump = (g: string) => void redis.incr(genKey(g)).catch(o.onError);
  return {
    through: async (gameId, field, args, compute) => {
      let key: string | undefined;
      try {
        const gen = (await redis.get(genKey(gameId))) ?? "0";
        key = `${o.prefix}q:${gameId}:${gen}:${field}:${createHash("sha256").update(JSON.stringify(args)).digest("base64url")}`;
        const hit = await redis.get(key);
        if (hit !== null) {
          o.metrics.hits.inc();
          return JSON.parse(hit) as Awaited<ReturnType<typeof compute>>;
        }
      } catch (err) {
        o.onError(err); // a cache outage costs speed, never answers
      }
      o.metrics.misses.inc();
      const value = await compute();
      if (key !== undefined) void redis.set(key, JSON.stringify(value), "EX", o.ttlSec).catch(o.onError);
      return value;
    },
    invalidate: (gameId) => {
      const now = Date.now();
      // Every pod sees every late event: one bump a second per game is enough.
      if (now - (lastBump.get(gameId) ?? 0) >= 1000) {
        lastBump.set(gameId, now);
        o.metrics.invalidations.inc();
        bump(gameId);
      }
      clearTimeout(timers.get(gameId));
      timers.set(gameId, setTimeout(() => {
        timers.delete(gameId);
        bump(gameId);
      }, o.replicaLagMs).unref());
    },
    close: () => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

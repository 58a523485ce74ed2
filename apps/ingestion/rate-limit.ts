// Events per second per API key, with a burst, shared by every ingestion replica through Redis: one
// token bucket per key, taken atomically by a Lua script in one round trip (auto-pipelined).
import type { RedisClient } from "../shared/redis";

// KEYS[1] bucket; ARGV rate/s, burst, now ms, cost. Returns {allowed 0|1, ms until `cost` tokens}.
const TAKE = `
local rate, burst, now, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(t[1]) or burst
local at = tonumber(t[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local ok = 0
if tokens >= cost then tokens = tokens - cost; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {ok, math.ceil(math.max(0, cost - tokens) * 1000 / rate)}`;

type WithTake = RedisClient & { gmTakeTokens(key: string, rate: number, burst: number, now: number, cost: number): Promise<[number, number]> };

export interface RateDecision {
  allowed: boolean;
  retryAfterSec: number;
}

export class EventRateLimiter {
  private readonly redis: WithTake;

  constructor(redis: RedisClient, private readonly prefix: string) {
    redis.defineCommand("gmTakeTokens", { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as WithTake;
  }

  /** Takes `events` tokens from the key's bucket; a burst smaller than one batch is raised to the batch. */
  async take(keyId: string, events: number, perSec: number, burst: number): Promise<RateDecision> {
    const [ok, waitMs] = await this.redis.gmTakeTokens(`${this.prefix}${keyId}`, perSec, Math.max(burst, events), Date.now(), events);
    return { allowed: ok === 1, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

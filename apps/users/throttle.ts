// Login throttling shared by every pod (Redis): failures counted per account and per source address
// in fixed windows; past the limit, logins are refused until the window ends, even with the right password.
import type { RedisClient } from "../shared/redis";

export interface ThrottleLimits {
  readonly perAccount: number;
  readonly perSource: number;
  readonly windowSec: number;
}

export interface LoginThrottle {
  /** Seconds to wait, or 0 when a login may be tried. */
  blockedFor(account: string, source: string): Promise<number>;
  recordFailure(account: string, source: string): Promise<void>;
  /** A successful login clears the account's count (not the source's: one address guessing many accounts stays throttled). */
  recordSuccess(account: string): Promise<void>;
}

export function loginThrottle(redis: RedisClient, limits: ThrottleLimits, prefix = "gm-users:login:"): LoginThrottle {
  const accountKey = (a: string) => `${prefix}acct:${a.toLowerCase()}`;
  const sourceKey = (s: string) => `${prefix}src:${s}`;
  const wait = async (key: string, limit: number): Promise<number> => {
    const [count, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
    return Number(count ?? 0) >= limit ? Math.max(1, Math.ceil(ttl / 1000)) : 0;
  };
  const bump = async (key: string) => {
    const n = await redis.incr(key);
    if (n === 1) await redis.pexpire(key, limits.windowSec * 1000);
  };
  return {
    blockedFor: async (account, source) => Math.max(await wait(accountKey(account), limits.perAccount), await wait(sourceKey(source), limits.perSource)),
    recordFailure: async (account, source) => {
      await Promise.all([bump(accountKey(account)), bump(sourceKey(source))]);
    },
    recordSuccess: async (account) => {
      await redis.del(accountKey(account));
    },
  };
}

import Redis from "ioredis";

export type { Redis };

/** Auto-pipelining: concurrent rate-limit checks share round trips. */
export function createRedis(url: string): Redis {
  return new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
}

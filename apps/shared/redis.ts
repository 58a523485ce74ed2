import Redis, { Cluster } from "ioredis";
import type { RedisSettings } from "./config";

export type { Redis };
export type RedisClient = Redis | Cluster;

/**
 * One client for the local Redis, a single ElastiCache node, or an ElastiCache cluster.
 * Auto-pipelining lets concurrent rate-limit checks share round trips.
 */
export function createRedis(settings: RedisSettings): RedisClient {
  const options = { enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: 2000, password: settings.password };
  if (!settings.cluster) return new Redis(settings.url, options);
  const url = new URL(settings.url);
  const tls = url.protocol === "rediss:" ? {} : undefined;
  return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
    enableAutoPipelining: true,
    // ElastiCache's TLS certificates name the configuration endpoint: connect by name, not by resolved IP.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: { ...options, tls },
  });
}

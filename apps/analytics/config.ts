import { loadAuthConfig } from "../shared/auth";
import type { VerifierOptions } from "../shared/auth";
import { ANALYTICS_CLIENT_ID } from "../shared/auth/platform-clients";
import { loadServiceClient, type ServiceClient } from "../shared/auth/service-token";
import { CommonConfig, ConfigError, int, ListenAddress, listenAddress, loadServiceConfig, str } from "../shared/config";

export interface AnalyticsConfig extends CommonConfig, ListenAddress {
  /** Where queries go: the read replica in production (DATABASE_READ_URL), else the primary. */
  readDatabaseUrl: string;
  auth: VerifierOptions;
  limits: QueryLimits;
  /** Redis key prefix (test runs keep theirs apart), TTL, and how long the read replica may lag. */
  cache: { prefix: string; ttlSec: number; replicaLagMs: number };
  live: LiveConfig;
  /** The recommendations service (RECOMMENDATIONS_URL) and analytics' own client to call it; null: unset, Player.recommendations answers an error. */
  recommendations: { url: string; timeoutMs: number; client: ServiceClient } | null;
}

export interface QueryLimits {
  /** Per SQL statement, SET LOCAL statement_timeout. */
  statementTimeoutMs: number;
  maxDepth: number;
  /** graphql-armor cost: each field costs 1 (objects 2), times the depth factor. */
  maxCost: number;
  /** Buckets a range may span at its granularity (range x granularity cap). */
  maxBuckets: number;
  /** Groups a breakdown may return. */
  maxGroups: number;
}

export interface LiveConfig {
  /** Each pod reads the whole processed topic under its own consumer group `<groupPrefix>.<pod>` (the ACL admits the prefix). */
  groupPrefix: string;
  podName: string;
  /** How often each subscriber gets a snapshot. */
  tickMs: number;
  /** Window of "concurrent players": sessions started minus ended within it. */
  concurrentWindowMs: number;
  /** A subscriber with more snapshots than this waiting, or this many bytes unsent on its socket, is dropped. */
  maxQueuedSnapshots: number;
  maxBufferedBytes: number;
  /** A subscriber whose WebSocket ping stays unanswered this long is dropped. */
  maxLagMs: number;
}

export const ANALYTICS_DEFAULTS = {
  host: "127.0.0.1",
  port: 8083,
  limits: { statementTimeoutMs: 2000, maxDepth: 6, maxCost: 500, maxBuckets: 400, maxGroups: 200 },
  cache: { prefix: "analytics:", ttlSec: 86_400, replicaLagMs: 5000 },
  // A support agent waits on the player page: a slow recommendations answer is dropped, the rest still shows.
  recommendationsTimeoutMs: 2000,
  live: { groupPrefix: "gamemetrics.analytics", tickMs: 1000, concurrentWindowMs: 30 * 60_000, maxQueuedSnapshots: 32, maxBufferedBytes: 1024 * 1024, maxLagMs: 10_000 },
} as const;

function recommendationsConfig(env: NodeJS.ProcessEnv): AnalyticsConfig["recommendations"] {
  const url = str(env, "RECOMMENDATIONS_URL", "");
  if (url === "") return null;
  if (!/^https?:\/\/\S+$/.test(url)) throw new ConfigError(`config RECOMMENDATIONS_URL="${url}" is invalid: expected an http(s) URL (e.g. http://recommendations.gamemetrics.svc.cluster.local:8084)`);
  return {
    url: url.replace(/\/+$/, ""),
    timeoutMs: int(env, "ANALYTICS_RECOMMENDATIONS_TIMEOUT_MS", ANALYTICS_DEFAULTS.recommendationsTimeoutMs, 50, 60_000),
    client: loadServiceClient(env, ANALYTICS_CLIENT_ID, "with RECOMMENDATIONS_URL"),
  };
}

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const d = ANALYTICS_DEFAULTS;
  return loadServiceConfig(env, (common) => ({
    ...listenAddress(env, "", d),
    readDatabaseUrl: str(env, "DATABASE_READ_URL", common.databaseUrl),
    auth: loadAuthConfig(env),
    limits: {
      statementTimeoutMs: int(env, "ANALYTICS_STATEMENT_TIMEOUT_MS", d.limits.statementTimeoutMs, 50, 60_000),
      maxDepth: int(env, "ANALYTICS_MAX_DEPTH", d.limits.maxDepth, 2, 20),
      maxCost: int(env, "ANALYTICS_MAX_COST", d.limits.maxCost, 10, 100_000),
      maxBuckets: int(env, "ANALYTICS_MAX_BUCKETS", d.limits.maxBuckets, 1, 10_000),
      maxGroups: int(env, "ANALYTICS_MAX_GROUPS", d.limits.maxGroups, 1, 10_000),
    },
    cache: {
      prefix: str(env, "ANALYTICS_CACHE_PREFIX", d.cache.prefix),
      ttlSec: int(env, "ANALYTICS_CACHE_TTL_SEC", d.cache.ttlSec, 1, 30 * 86_400),
      replicaLagMs: int(env, "ANALYTICS_REPLICA_LAG_MS", d.cache.replicaLagMs, 0, 600_000),
    },
    recommendations: recommendationsConfig(env),
    live: {
      groupPrefix: str(env, "ANALYTICS_LIVE_GROUP_PREFIX", d.live.groupPrefix),
      // HOSTNAME is the pod name in Kubernetes: one consumer group per pod.
      podName: str(env, "HOSTNAME", `pid${process.pid}`),
      tickMs: int(env, "ANALYTICS_LIVE_TICK_MS", d.live.tickMs, 10, 60_000),
      concurrentWindowMs: int(env, "ANALYTICS_CONCURRENT_WINDOW_MS", d.live.concurrentWindowMs, 1000, 86_400_000),
      maxQueuedSnapshots: int(env, "ANALYTICS_WS_MAX_QUEUED", d.live.maxQueuedSnapshots, 1, 10_000),
      maxBufferedBytes: int(env, "ANALYTICS_WS_MAX_BUFFERED_BYTES", d.live.maxBufferedBytes, 1024, 256 * 1024 * 1024),
      maxLagMs: int(env, "ANALYTICS_WS_MAX_LAG_MS", d.live.maxLagMs, 100, 600_000),
    },
  }));
}

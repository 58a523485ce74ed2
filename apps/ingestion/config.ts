import { CommonConfig, int, ListenAddress, listenAddress, loadServiceConfig } from "../shared/config";

export interface IngestionConfig extends CommonConfig, ListenAddress {
  /** Events per second per API key when the key sets no limit of its own. */
  defaultRateLimitPerSec: number;
  /** The burst when the key sets none, in seconds of its rate (never less than one full batch). */
  defaultBurstSeconds: number;
  /** Requests without a valid key allowed per source address and second, and their burst. */
  failedAuthPerSec: number;
  failedAuthBurst: number;
  /** Events waiting for Kafka past which requests are refused with 503 (bounded memory). */
  maxPendingEvents: number;
  /** On SIGTERM, how long /readyz answers 503 while requests are still served (the load balancer stops sending). */
  drainDelayMs: number;
  corsMaxAgeSec: number;
  /** How long a looked-up API key is trusted before the database is asked again (revocation delay). */
  keyCacheTtlMs: number;
  /** Seconds a client is told to wait when Kafka is unavailable. */
  retryAfterSec: number;
  /** How often the GDPR suppression list is refreshed: the delay before an erasure or consent withdrawal drops events. */
  suppressionRefreshMs: number;
  singleBodyLimitBytes: number;
  batchBodyLimitBytes: number;
}

export const INGESTION_DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  defaultRateLimitPerSec: 200,
  defaultBurstSeconds: 2,
  failedAuthPerSec: 10,
  failedAuthBurst: 50,
  maxPendingEvents: 50_000,
  drainDelayMs: 3000,
  corsMaxAgeSec: 600,
  keyCacheTtlMs: 30_000,
  retryAfterSec: 5,
  suppressionRefreshMs: 2000,
  singleBodyLimitBytes: 64 * 1024,
  batchBodyLimitBytes: 1024 * 1024,
} as const;

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  const d = INGESTION_DEFAULTS;
  return loadServiceConfig(env, () => ({
    ...listenAddress(env, "", d),
    defaultRateLimitPerSec: int(env, "RATE_LIMIT_PER_SEC", d.defaultRateLimitPerSec, 1, 10_000_000),
    defaultBurstSeconds: int(env, "RATE_LIMIT_BURST_SECONDS", d.defaultBurstSeconds, 1, 3600),
    failedAuthPerSec: int(env, "FAILED_AUTH_PER_SEC", d.failedAuthPerSec, 1, 100_000),
    failedAuthBurst: int(env, "FAILED_AUTH_BURST", d.failedAuthBurst, 1, 1_000_000),
    maxPendingEvents: int(env, "MAX_PENDING_EVENTS", d.maxPendingEvents, 1000, 10_000_000),
    drainDelayMs: int(env, "DRAIN_DELAY_MS", d.drainDelayMs, 0, 120_000),
    corsMaxAgeSec: d.corsMaxAgeSec,
    keyCacheTtlMs: int(env, "API_KEY_CACHE_TTL_MS", d.keyCacheTtlMs, 0, 3_600_000),
    retryAfterSec: int(env, "RETRY_AFTER_SEC", d.retryAfterSec, 1, 3600),
    suppressionRefreshMs: int(env, "SUPPRESSION_REFRESH_MS", d.suppressionRefreshMs, 100, 600_000),
    singleBodyLimitBytes: d.singleBodyLimitBytes,
    batchBodyLimitBytes: d.batchBodyLimitBytes,
  }));
}

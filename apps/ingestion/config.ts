import { CommonConfig, int, loadCommonConfig, str } from "../shared/config";

export interface IngestionConfig extends CommonConfig {
  host: string;
  port: number;
  /** Requests per second per API key when the key sets no limit of its own. */
  defaultRateLimitPerSec: number;
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
  keyCacheTtlMs: 30_000,
  retryAfterSec: 5,
  suppressionRefreshMs: 2000,
  singleBodyLimitBytes: 64 * 1024,
  batchBodyLimitBytes: 1024 * 1024,
} as const;

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  const d = INGESTION_DEFAULTS;
  return {
    ...loadCommonConfig(env),
    host: str(env, "HOST", d.host),
    port: int(env, "PORT", d.port, 0, 65_535),
    defaultRateLimitPerSec: int(env, "RATE_LIMIT_PER_SEC", d.defaultRateLimitPerSec, 1, 10_000_000),
    keyCacheTtlMs: int(env, "API_KEY_CACHE_TTL_MS", d.keyCacheTtlMs, 0, 3_600_000),
    retryAfterSec: int(env, "RETRY_AFTER_SEC", d.retryAfterSec, 1, 3600),
    suppressionRefreshMs: int(env, "SUPPRESSION_REFRESH_MS", d.suppressionRefreshMs, 100, 600_000),
    singleBodyLimitBytes: d.singleBodyLimitBytes,
    batchBodyLimitBytes: d.batchBodyLimitBytes,
  };
}

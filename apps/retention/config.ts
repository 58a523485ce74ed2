import { type CommonConfig, ConfigError, int, loadServiceConfig, str } from "../shared/config";
import { ARCHIVE_DEFAULTS } from "../shared/archive/layout";
import { type Encryption, loadEncryption, loadS3Settings, type S3Settings } from "../shared/s3/client";

export interface RetentionConfig extends CommonConfig {
  /** Days of player_events kept in PostgreSQL, today included; older daily partitions are archived and dropped. */
  hotDays: number;
  bucket: string;
  /** This job's prefix of the archives bucket (its IRSA role reaches only this prefix). */
  prefix: string;
  s3: S3Settings;
  encryption: Encryption;
  /** Rows per Parquet object: bounds the memory of a rewrite and what a GDPR erasure rewrites. */
  partRows: number;
  /** Days a restored day is left in PostgreSQL before the job archives and drops it again. */
  restoreHoldDays: number;
}

export const RETENTION_DEFAULTS = {
  // The catalog sets the tier's value (gamemetrics:retention.hotDays); this is the free tier's.
  hotDays: 30,
  ...ARCHIVE_DEFAULTS,
  // ~8-15 MB of Parquet for typical events: small enough to rewrite in memory, large enough for scans.
  partRows: 200_000,
  restoreHoldDays: 7,
} as const;

const PREFIX = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function loadRetentionConfig(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const d = RETENTION_DEFAULTS;
  const prefix = str(env, "ARCHIVES_PREFIX", d.prefix);
  if (!PREFIX.test(prefix)) throw new ConfigError(`config ARCHIVES_PREFIX="${prefix}" is invalid: expected lower-case letters, digits and -, no slashes`);
  return loadServiceConfig(env, () => ({
    hotDays: int(env, "RETENTION_HOT_DAYS", d.hotDays, 1, 3650),
    bucket: str(env, "ARCHIVES_BUCKET", d.bucket),
    prefix,
    s3: loadS3Settings(env),
    encryption: loadEncryption(env),
    partRows: int(env, "RETENTION_PART_ROWS", d.partRows, 1, 5_000_000),
    restoreHoldDays: int(env, "RETENTION_RESTORE_HOLD_DAYS", d.restoreHoldDays, 0, 365),
  }));
}

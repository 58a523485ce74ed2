import { int, section } from "../fields";

export interface StorageProfile {
  /** Days before objects in the logs bucket expire. */
  logsExpirationDays: number;
  /** Days before archives move to Glacier; 0 keeps them in S3 Standard-IA only. */
  archiveGlacierAfterDays: number;
  /** Days noncurrent versions are kept in versioned buckets. */
  noncurrentVersionDays: number;
  /** Images ECR keeps per repository. */
  ecrKeepImages: number;
}

export const storage = section<StorageProfile>({
  fields: {
    logsExpirationDays: int(1, 3653),
    archiveGlacierAfterDays: int(0, 3653),
    noncurrentVersionDays: int(1, 3653),
    ecrKeepImages: int(1, 1000),
  },
  free: { logsExpirationDays: 7, archiveGlacierAfterDays: 0, noncurrentVersionDays: 7, ecrKeepImages: 10 },
  production: { logsExpirationDays: 90, archiveGlacierAfterDays: 30, noncurrentVersionDays: 90, ecrKeepImages: 50 },
});

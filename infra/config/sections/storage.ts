import { type Field, int, section } from "../fields";

/** Secrets Manager accepts 0 (delete at once) or a recovery window of 7 to 30 days. */
const recoveryWindow: Field<number> = {
  allowed: "0 (delete at once) or an integer from 7 to 30",
  parse: (raw) => (raw === 0 || (typeof raw === "number" && Number.isInteger(raw) && raw >= 7 && raw <= 30) ? raw : undefined),
};

export interface StorageProfile {
  /** Days before objects in the logs bucket expire. */
  logsExpirationDays: number;
  /** Days before archives move to Glacier; 0 keeps them in S3 Standard. */
  archiveGlacierAfterDays: number;
  /** Days noncurrent versions are kept in versioned buckets. */
  noncurrentVersionDays: number;
  /** Images ECR keeps per repository. */
  ecrKeepImages: number;
  /** Days a deleted data secret (RDS, Redis) can be restored; 0 frees the name at once, for throwaway stacks. */
  secretRecoveryDays: number;
}

export const storage = section<StorageProfile>({
  fields: {
    logsExpirationDays: int(1, 3653),
    archiveGlacierAfterDays: int(0, 3653),
    noncurrentVersionDays: int(1, 3653),
    ecrKeepImages: int(1, 1000),
    secretRecoveryDays: recoveryWindow,
  },
  free: { logsExpirationDays: 7, archiveGlacierAfterDays: 0, noncurrentVersionDays: 7, ecrKeepImages: 10, secretRecoveryDays: 0 },
  production: { logsExpirationDays: 90, archiveGlacierAfterDays: 30, noncurrentVersionDays: 90, ecrKeepImages: 50, secretRecoveryDays: 30 },
});

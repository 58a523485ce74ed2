import type { StorageProfile } from "../config/sections/storage";

/** Pure S3 decisions: which buckets exist, their lifecycle rules per tier, and the TLS-only policy. */

export const BUCKET_KINDS = ["backups", "logs", "archives"] as const;
export type BucketKind = (typeof BUCKET_KINDS)[number];

/** Versioning protects what cannot be regenerated; logs are disposable and expire instead. */
export const VERSIONED: Readonly<Record<BucketKind, boolean>> = { backups: true, logs: false, archives: true };

/**
 * Object Lock enabled, with no default retention: only objects written with a retention are locked
 * (the audit chain anchors); everything else in the bucket is deleted and rewritten as before.
 */
export const OBJECT_LOCK: Readonly<Record<BucketKind, boolean>> = { backups: false, logs: false, archives: true };

/** Days after which an unfinished multipart upload's parts are removed (they are billed but invisible). */
export const ABORT_MULTIPART_DAYS = 7;

/** A lifecycle rule in the shape aws.s3.BucketLifecycleConfiguration takes, with plain values. */
export interface LifecycleRule {
  readonly id: string;
  readonly status: "Enabled";
  /** Empty filter: the rule applies to every object. */
  readonly filter: Record<string, never>;
  readonly abortIncompleteMultipartUpload?: { readonly daysAfterInitiation: number };
  readonly expiration?: { readonly days?: number; readonly expiredObjectDeleteMarker?: boolean };
  readonly noncurrentVersionExpiration?: { readonly noncurrentDays: number };
  readonly transitions?: { readonly days: number; readonly storageClass: "GLACIER_IR" }[];
}

const rule = (id: string, body: Omit<LifecycleRule, "id" | "status" | "filter">): LifecycleRule => ({ id, status: "Enabled", filter: {}, ...body });

export function lifecycleRules(kind: BucketKind, profile: StorageProfile): LifecycleRule[] {
  const rules = [rule("abort-incomplete-uploads", { abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS } })];
  if (VERSIONED[kind]) {
    rules.push(
      rule("expire-noncurrent-versions", {
        noncurrentVersionExpiration: { noncurrentDays: profile.noncurrentVersionDays },
        expiration: { expiredObjectDeleteMarker: true },
      }),
    );
  }
  if (kind === "logs") rules.push(rule("expire-logs", { expiration: { days: profile.logsExpirationDays } }));
  if (kind === "archives" && profile.archiveGlacierAfterDays > 0) {
    // Glacier Instant Retrieval: as cheap to keep, but readable at once, which a restore and a GDPR
    // rewrite of archived days need (GLACIER would need an hours-long RestoreObject first).
    rules.push(rule("archive-to-glacier", { transitions: [{ days: profile.archiveGlacierAfterDays, storageClass: "GLACIER_IR" }] }));
  }
  return rules;
}

/** Bucket policy that refuses every request not made over TLS, for the bucket and its objects. */
export function tlsOnlyPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

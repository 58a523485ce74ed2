import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";
import { type LifecycleRule, tlsOnlyPolicy } from "./bucket-rules";

export interface SecureBucketArgs {
  readonly versioned: boolean;
  /** S3 Object Lock on the bucket (needs versioning), no default retention. */
  readonly objectLock?: boolean;
  readonly lifecycleRules: readonly LifecycleRule[];
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/**
 * A private S3 bucket: every public access path blocked, ACLs disabled (owner enforced),
 * SSE-KMS with a bucket key (fewer KMS calls), TLS-only policy, optional versioning, lifecycle rules.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:SecureBucket", name, {}, opts);
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(name, { tags: args.tags }, parent);

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      name,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
      },
      parent,
    );
    // S3 rejects concurrent bucket-config writes; the policy waits for the access block.
    new aws.s3.BucketPolicy(name, { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyPolicy) }, { parent: this, dependsOn: [publicAccess] });
    const versioning = args.versioned
      ? new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent)
      : undefined;
    if (args.objectLock === true) {
      if (versioning === undefined) throw new Error(`bucket ${name}: Object Lock needs versioning`);
      new aws.s3.BucketObjectLockConfiguration(name, { bucket: bucket.id, objectLockEnabled: "Enabled" }, { parent: this, dependsOn: [versioning] });
    }
    // Noncurrent-version rules need versioning in place first.
    new aws.s3.BucketLifecycleConfiguration(
      name,
      { bucket: bucket.id, rules: [...args.lifecycleRules] },
      { parent: this, dependsOn: versioning === undefined ? [] : [versioning] },
    );

    this.bucketName = bucket.bucket;
    this.arn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}

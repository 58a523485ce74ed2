import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import type { ClusterInfo, Tags } from "../contracts";

/**
 * What a workload may do under its prefix: read (query), read-write-delete (ship and compact), or
 * append-locked: write objects under an Object Lock retention, never delete (the audit anchors).
 */
export type S3Access = "read" | "readwrite" | "append-locked";

const READ_ACTIONS = ["s3:GetObject"];
const OBJECT_ACTIONS: Readonly<Record<S3Access, readonly string[]>> = {
  read: READ_ACTIONS,
  readwrite: [...READ_ACTIONS, "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
  "append-locked": [...READ_ACTIONS, "s3:PutObject", "s3:PutObjectRetention"],
};

/**
 * IAM policy for one bucket prefix of a KMS-encrypted bucket: list only under the prefix, object
 * actions only on `prefix/*`, and the data key only for what S3 needs to (en|de)crypt. Pure, so the
 * scoping is unit-tested and the same document serves every workload that keeps data in S3.
 */
export function s3PrefixPolicy(bucket: string, prefix: string, access: S3Access, kmsKeyArn: string): string {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListPrefix",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } },
      },
      { Sid: "BucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [bucketArn] },
      {
        Sid: "Objects",
        Effect: "Allow",
        Action: [...OBJECT_ACTIONS[access]],
        Resource: [`${bucketArn}/${prefix}/*`],
      },
      {
        Sid: "DataKey",
        Effect: "Allow",
        Action: access === "read" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [kmsKeyArn],
      },
    ],
  });
}

/** A bucket (by name) and the KMS key that encrypts it. */
export interface EncryptedBucket {
  readonly bucket: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
}

export interface PrefixRoleArgs {
  readonly cluster: Pick<ClusterInfo, "oidcProviderArn" | "oidcIssuer">;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly storage: EncryptedBucket;
  readonly prefix: string;
  readonly access: S3Access;
  readonly tags: Tags;
}

/** An IRSA role for one service account, scoped to one prefix of one bucket. */
export function prefixRole(name: string, args: PrefixRoleArgs, opts: pulumi.ComponentResourceOptions): IrsaRole {
  return new IrsaRole(
    name,
    {
      cluster: args.cluster,
      namespace: args.namespace,
      serviceAccount: args.serviceAccount,
      policy: pulumi
        .all([args.storage.bucket, args.storage.kmsKeyArn])
        .apply(([bucket, key]) => s3PrefixPolicy(bucket, args.prefix, args.access, key)),
      tags: args.tags,
    },
    opts,
  );
}

/** The service-account annotation that binds a pod to its IRSA role. */
export const irsaAnnotation = (roleArn: string): Record<string, string> => ({ "eks.amazonaws.com/role-arn": roleArn });

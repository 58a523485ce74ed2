import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./contracts";

/**
 * Key policy for a CloudWatch Logs group key: the account administers the key (default key policy),
 * and the Logs service may use it only for log groups of this account and region.
 */
export function logsKeyPolicy(accountId: string, region: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsUsesKey",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
        },
      },
    ],
  });
}

/**
 * A rotating customer-managed KMS key that CloudWatch Logs may use for this account's log groups
 * (see logsKeyPolicy); the data key and the flow-log key are both this.
 */
export function logsUsableKey(name: string, args: { readonly description: string; readonly tags: Tags }, parent: pulumi.Resource): aws.kms.Key {
  const account = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  return new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi
        .all([account.accountId, region.region, partition.partition])
        .apply(([accountId, regionName, partitionName]) => logsKeyPolicy(accountId, regionName, partitionName)),
      tags: args.tags,
    },
    { parent },
  );
}

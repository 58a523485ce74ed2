import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";
import { logsUsableKey } from "../logs-key";

export interface DataKeyArgs {
  /** Alias name without the `alias/` prefix, e.g. `gamemetrics-dev-data`. */
  readonly alias: string;
  readonly tags: Tags;
}

/**
 * The customer-managed KMS key for data at rest: RDS storage and Performance Insights, ElastiCache,
 * S3, Secrets Manager, ECR and the RDS log groups. The account administers it, so IAM policies grant
 * its use (what those services' grants rely on); CloudWatch Logs may use it for this account's groups.
 */
export class DataKey extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;

  constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:DataKey", name, {}, opts);
    const key = logsUsableKey(
      name,
      { description: `Data at rest for ${args.alias}: RDS (and its log groups), ElastiCache, S3, Secrets Manager, ECR`, tags: args.tags },
      this,
    );
    new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });
    this.arn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ arn: this.arn, keyId: this.keyId });
  }
}

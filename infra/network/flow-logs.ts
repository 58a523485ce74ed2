import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";
import { logsUsableKey } from "../logs-key";

/** Only the flow-logs service, and only on behalf of this account (no confused deputy). */
export function flowLogTrustPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/** Permissions of the flow-log delivery role: write to the one log group, nothing else. */
export function flowLogDeliveryPolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ],
  });
}

export interface FlowLogsArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly logGroupName: string;
  readonly retentionDays: number;
  readonly tags: Tags;
}

/** All traffic of the VPC to a KMS-encrypted CloudWatch Logs group. */
export class FlowLogs extends pulumi.ComponentResource {
  readonly logGroupArn: pulumi.Output<string>;

  constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:network:FlowLogs", name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent);

    const key = logsUsableKey(name, { description: `Encrypts the VPC flow log group ${args.logGroupName}`, tags: args.tags }, this);
    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName, retentionInDays: args.retentionDays, kmsKeyId: key.arn, tags: args.tags },
      parent,
    );
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: account.accountId.apply(flowLogTrustPolicy),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(name, { role: role.name, policy: logGroup.arn.apply(flowLogDeliveryPolicy) }, parent);
    new aws.ec2.FlowLog(
      name,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: args.tags,
      },
      parent,
    );
    this.logGroupArn = logGroup.arn;
    this.registerOutputs({ logGroupArn: this.logGroupArn });
  }
}

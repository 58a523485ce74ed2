import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";

export interface NodeOnlyAccessArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly port: number;
  readonly description: string;
  readonly tags: Tags;
}

/**
 * A security group for a data service that admits one TCP port from the cluster's nodes and nothing else.
 * No egress rule: the provider removes AWS's default allow-all, and these services never dial out.
 */
export function nodeOnlySecurityGroup(name: string, args: NodeOnlyAccessArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: args.description,
      ingress: [
        {
          description: `port ${args.port} from EKS nodes`,
          protocol: "tcp",
          fromPort: args.port,
          toPort: args.port,
          securityGroups: [args.nodeSecurityGroupId],
        },
      ],
      tags: { ...args.tags, Name: name },
    },
    { parent },
  );
}

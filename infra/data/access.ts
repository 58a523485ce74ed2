import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";

/** A TCP port range the nodes may reach, with the rule's description. */
export interface NodePorts {
  readonly fromPort: number;
  readonly toPort: number;
  readonly description: string;
}

/** One TCP port, its rule described by the number. */
export function nodePort(port: number): NodePorts {
  return { fromPort: port, toPort: port, description: `port ${port} from EKS nodes` };
}

export interface NodeOnlyAccessArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly ports: readonly NodePorts[];
  readonly description: string;
  readonly tags: Tags;
}

/**
 * A security group for a data service (PostgreSQL, Redis, MSK brokers) that admits its TCP ports from
 * the cluster's nodes and nothing else. No egress rule: the provider removes AWS's default allow-all,
 * and these services only answer.
 */
export function nodeOnlySecurityGroup(name: string, args: NodeOnlyAccessArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: args.description,
      ingress: args.ports.map(({ fromPort, toPort, description }) => ({
        description,
        protocol: "tcp",
        fromPort,
        toPort,
        securityGroups: [args.nodeSecurityGroupId],
      })),
      tags: { ...args.tags, Name: name },
    },
    { parent },
  );
}

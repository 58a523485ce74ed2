import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { EksProfile } from "../config/sections/eks";
import type { Tags } from "../contracts";
import { nodeRole } from "./roles";
import { NODE_METADATA_OPTIONS, NODE_ROOT_DEVICE, nodeScaling } from "./settings";

export interface NodeGroupArgs {
  readonly cluster: eks.Cluster;
  readonly profile: EksProfile;
  readonly subnetIds: pulumi.Input<string>[];
  readonly tags: Tags;
  /** What must exist before nodes join (the networking add-ons). */
  readonly after: readonly pulumi.Resource[];
}

/**
 * The managed node group: nodes in the workload subnets, IMDSv2 only, encrypted gp3 root volumes,
 * no SSH. The node role only joins the cluster and pulls images; pod networking rights sit on the
 * vpc-cni IRSA role instead.
 */
export function managedNodeGroup(name: string, args: NodeGroupArgs, parent: pulumi.Resource): eks.ManagedNodeGroup {
  const { profile, tags } = args;
  const { role, attached } = nodeRole(`${name}-node`, tags, { parent });

  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-nodes`,
    {
      description: "EKS managed nodes: IMDSv2 only, encrypted gp3 root volume",
      metadataOptions: { ...NODE_METADATA_OPTIONS },
      blockDeviceMappings: [
        {
          deviceName: NODE_ROOT_DEVICE,
          ebs: { volumeSize: profile.nodeDiskGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
      updateDefaultVersion: true,
      tags,
    },
    { parent },
  );

  return new eks.ManagedNodeGroup(
    `${name}-nodes`,
    {
      cluster: args.cluster,
      nodeRoleArn: role.arn,
      // AL2023 (root device NODE_ROOT_DEVICE); x86 instance types resolve to AL2023_x86_64_STANDARD.
      operatingSystem: eks.OperatingSystem.AL2023,
      instanceTypes: profile.nodeInstanceTypes,
      scalingConfig: nodeScaling(profile),
      subnetIds: args.subnetIds,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      // Cluster Autoscaler (infra/services/autoscaling.ts) owns desiredSize after creation; a later
      // `pulumi up` must not reset it. min/max still follow the profile.
      ignoreScalingChanges: true,
      tags,
    },
    { parent, dependsOn: [...attached, ...args.after] },
  );
}

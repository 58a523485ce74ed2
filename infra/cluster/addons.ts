import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInfo, Tags } from "../contracts";
import { IrsaRole } from "./irsa";
import { MANAGED_POLICIES, vpcCniConfiguration } from "./settings";

export interface AddonArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly oidc: Pick<ClusterInfo, "oidcProviderArn" | "oidcIssuer">;
  readonly tags: Tags;
  readonly prefixDelegation: boolean;
}

/** The add-ons the cluster cannot run without, managed by EKS (no version pinned: EKS picks the one it supports). */
export const ADDONS = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDONS)[number];

function addon(
  name: string,
  addonName: AddonName,
  args: AddonArgs,
  extra: Pick<aws.eks.AddonArgs, "serviceAccountRoleArn" | "configurationValues">,
  opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${name}-${addonName}`,
    {
      clusterName: args.clusterName,
      addonName,
      ...extra,
      // EKS bootstraps self-managed copies of vpc-cni, kube-proxy and coredns; the managed add-on takes them over.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: args.tags,
    },
    opts,
  );
}

/** Networking add-ons, needed before nodes join (so nodes start with network policy and IRSA in place). */
export function networkingAddons(name: string, args: AddonArgs, parent: pulumi.Resource): aws.eks.Addon[] {
  const opts = { parent };
  const cniRole = new IrsaRole(
    `${name}-vpc-cni`,
    { cluster: args.oidc, namespace: "kube-system", serviceAccount: "aws-node", managedPolicyArns: [MANAGED_POLICIES.vpcCni], tags: args.tags },
    opts,
  );
  return [
    addon(name, "vpc-cni", args, { serviceAccountRoleArn: cniRole.arn, configurationValues: vpcCniConfiguration(args.prefixDelegation) }, opts),
    addon(name, "kube-proxy", args, {}, opts),
  ];
}

/** Add-ons that schedule pods: they only become healthy once nodes exist, so they follow the node group. */
export function workloadAddons(
  name: string,
  args: AddonArgs,
  parent: pulumi.Resource,
  nodes: pulumi.Resource,
): { coredns: aws.eks.Addon; ebsCsi: aws.eks.Addon } {
  const ebsRole = new IrsaRole(
    `${name}-ebs-csi`,
    {
      cluster: args.oidc,
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      managedPolicyArns: [MANAGED_POLICIES.ebsCsi],
      tags: args.tags,
    },
    { parent },
  );
  const afterNodes = { parent, dependsOn: [nodes] };
  return {
    coredns: addon(name, "coredns", args, {}, afterNodes),
    ebsCsi: addon(name, "aws-ebs-csi-driver", args, { serviceAccountRoleArn: ebsRole.arn }, afterNodes),
  };
}

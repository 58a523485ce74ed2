// Pure cluster decisions derived from the typed EKS profile, unit-testable without the Pulumi runtime.
import type { EksProfile } from "../config/sections/eks";

/** AWS managed policies, by the role that needs them (aws partition). */
export const MANAGED_POLICIES = {
  cluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  workerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  ecrPull: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  vpcCni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  ebsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
} as const;

/** API endpoint access: always private; public only when the profile opens it, and then only to its CIDRs. */
export function endpointAccess(profile: Pick<EksProfile, "endpointPublicAccess" | "publicAccessCidrs">): {
  endpointPrivateAccess: true;
  endpointPublicAccess: boolean;
  publicAccessCidrs?: string[];
} {
  return profile.endpointPublicAccess
    ? { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...profile.publicAccessCidrs] }
    : { endpointPrivateAccess: true, endpointPublicAccess: false };
}

export function nodeScaling(profile: Pick<EksProfile, "nodeMinCount" | "nodeDesiredCount" | "nodeMaxCount">): {
  minSize: number;
  desiredSize: number;
  maxSize: number;
} {
  return { minSize: profile.nodeMinCount, desiredSize: profile.nodeDesiredCount, maxSize: profile.nodeMaxCount };
}

/**
 * Instance metadata: IMDSv2 tokens only. Hop limit 2 lets pods that still read the node's
 * metadata (region, AZ) reach it; credentials come from IRSA, not from the node role.
 */
export const NODE_METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 2,
  instanceMetadataTags: "disabled",
} as const;

/** Root device of the EKS-optimized AL2023 AMI. */
export const NODE_ROOT_DEVICE = "/dev/xvda";

/**
 * vpc-cni add-on configuration: the network policy agent enforces Kubernetes NetworkPolicies; prefix
 * delegation (/28 prefixes per ENI instead of single IPs) only when the profile asks for it, since it also
 * raises every node's kube-reserved memory (infra/capacity/node.ts).
 */
export function vpcCniConfiguration(prefixDelegation: boolean): string {
  return JSON.stringify({
    enableNetworkPolicy: "true",
    env: prefixDelegation ? { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } : { ENABLE_PREFIX_DELEGATION: "false" },
  });
}

/** A warning for the plan when the API endpoint is open to the whole internet (IAM still authenticates). */
export function publicEndpointWarning(profile: Pick<EksProfile, "endpointPublicAccess" | "publicAccessCidrs">): string | undefined {
  return profile.endpointPublicAccess && profile.publicAccessCidrs.includes("0.0.0.0/0")
    ? "the EKS API endpoint is public to 0.0.0.0/0 (IAM still authenticates); restrict it with gamemetrics:eks.publicAccessCidrs"
    : undefined;
}

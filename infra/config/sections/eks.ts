import { bool, cidr, int, list, oneOf, section, text } from "../fields";
import { EKS_VERSIONS, type EksVersion } from "../pins";

export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type EksLogType = (typeof EKS_LOG_TYPES)[number];
export { EKS_VERSIONS } from "../pins";

export interface EksProfile {
  /** A minor in EKS standard support (the pins table); the autoscaler image follows it. */
  version: EksVersion;
  nodeInstanceTypes: string[];
  nodeMinCount: number;
  nodeDesiredCount: number;
  nodeMaxCount: number;
  nodeDiskGb: number;
  /** Public API endpoint; when on, reachable only from publicAccessCidrs. */
  endpointPublicAccess: boolean;
  publicAccessCidrs: string[];
  /**
   * The deployer (`pulumi up`) runs inside this VPC or a network routed to it (a CI runner in the private
   * subnets, a VPN). Only then can a private-only endpoint be reached: the VPC is created by this stack,
   * so this is never true on the first up.
   */
  deployerInVpc: boolean;
  logTypes: EksLogType[];
  /** Refuse `pulumi destroy` of the cluster until turned off. */
  deletionProtection: boolean;
  /** What happens to an EBS volume of the default StorageClass when its claim is deleted. */
  volumeReclaimPolicy: "Delete" | "Retain";
}

export const eks = section<EksProfile>({
  fields: {
    version: oneOf(...EKS_VERSIONS),
    nodeInstanceTypes: list(text(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as m5.large"), 1),
    nodeMinCount: int(1, 100),
    nodeDesiredCount: int(1, 100),
    nodeMaxCount: int(1, 100),
    nodeDiskGb: int(20, 1000),
    endpointPublicAccess: bool(),
    publicAccessCidrs: list(cidr()),
    deployerInVpc: bool(),
    logTypes: list(oneOf(...EKS_LOG_TYPES)),
    deletionProtection: bool(),
    volumeReclaimPolicy: oneOf("Delete", "Retain"),
  },
  // t3.small: 2 GiB each; prefix delegation (cluster/settings.ts) lifts its 11-pod IP limit. t3.micro is too small.
  free: {
    version: "1.36",
    nodeInstanceTypes: ["t3.small"],
    nodeMinCount: 2,
    nodeDesiredCount: 3,
    nodeMaxCount: 4,
    nodeDiskGb: 20,
    endpointPublicAccess: true,
    publicAccessCidrs: ["0.0.0.0/0"],
    deployerInVpc: false,
    logTypes: ["api", "audit"],
    deletionProtection: false,
    volumeReclaimPolicy: "Delete",
  },
  // Public only to the deployer's CIDRs, which the stack must name (none by default: config validation
  // asks for them). Once a deployer runs inside the VPC, close it: endpointPublicAccess false, deployerInVpc true.
  production: {
    version: "1.36",
    nodeInstanceTypes: ["m5.large", "m5a.large"],
    nodeMinCount: 3,
    nodeDesiredCount: 6,
    nodeMaxCount: 12,
    nodeDiskGb: 50,
    endpointPublicAccess: true,
    publicAccessCidrs: [],
    deployerInVpc: false,
    logTypes: [...EKS_LOG_TYPES],
    deletionProtection: true,
    // Kafka and Qdrant data outlives a deleted claim; the volume is removed by hand.
    volumeReclaimPolicy: "Retain",
  },
});

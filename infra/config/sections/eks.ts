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
  /**
   * VPC CNI prefix delegation: /28 prefixes per ENI, max pods up to 110. It also raises kube-reserved
   * memory to 11 MiB per possible pod (infra/capacity/node.ts): on small nodes that costs more memory
   * than the extra pod slots are worth. Changing it on a running cluster needs new nodes.
   */
  prefixDelegation: boolean;
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
    prefixDelegation: bool(),
    endpointPublicAccess: bool(),
    publicAccessCidrs: list(cidr()),
    deployerInVpc: bool(),
    logTypes: list(oneOf(...EKS_LOG_TYPES)),
    deletionProtection: bool(),
    volumeReclaimPolicy: oneOf("Delete", "Retain"),
  },
  // t3.medium: 4 GiB and 17 pods each. Four hold the platform and its apps with room for a rolling update
  // (npm run plan prints the headroom; three ran out once the new apps joined); a t3.small keeps 1.2 GiB
  // and 7 pod slots after EKS's own, so it would take eight or more.
  free: {
    version: "1.36",
    nodeInstanceTypes: ["t3.medium"],
    nodeMinCount: 4,
    nodeDesiredCount: 4,
    nodeMaxCount: 5,
    nodeDiskGb: 20,
    prefixDelegation: false,
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
    // 4 vCPU / 16 GiB: a Kafka broker (2 CPU / 8 GiB) fits with the DaemonSets beside it; on an m5.large it never would.
    nodeInstanceTypes: ["m5.xlarge", "m5a.xlarge"],
    // Ten: the platform's ~32 CPU / 95 GiB of requests (Argo CD delivery, the canary at twice its
    // replicas) fit nine at 97% of CPU; a tenth keeps a node's worth of headroom beyond one rolling
    // update (npm run plan prints it; the capacity-fits policy refuses too few).
    nodeMinCount: 10,
    nodeDesiredCount: 10,
    nodeMaxCount: 15,
    nodeDiskGb: 50,
    prefixDelegation: false,
    endpointPublicAccess: true,
    publicAccessCidrs: [],
    deployerInVpc: false,
    logTypes: [...EKS_LOG_TYPES],
    deletionProtection: true,
    // Kafka and Qdrant data outlives a deleted claim; the volume is removed by hand.
    volumeReclaimPolicy: "Retain",
  },
});

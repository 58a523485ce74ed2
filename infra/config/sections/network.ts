import { MAX_AZS, MAX_VPC_PREFIX, MIN_VPC_PREFIX, isLayoutVpcCidr } from "../vpc-cidr";
import { bool, type Field, int, oneOf, section } from "../fields";

/** A VPC CIDR the subnet layout (infra/network/subnets.ts) can split into six AZs. */
const vpcCidr: Field<string> = {
  allowed: `an IPv4 CIDR from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} with no host bits set, such as 10.0.0.0/16`,
  parse: (raw) => (typeof raw === "string" && isLayoutVpcCidr(raw) ? raw : undefined),
};

export interface NetworkProfile {
  /** AZs the VPC spans. Subnet groups (EKS, RDS) need 2 even when workloads use 1. */
  azCount: number;
  /** AZs the node group and single-AZ data services run in. */
  workloadAzCount: number;
  natGateways: "single" | "perAz";
  flowLogs: boolean;
  flowLogRetentionDays: number;
  vpcCidr: string;
}

export const network = section<NetworkProfile>({
  fields: {
    azCount: int(2, MAX_AZS),
    workloadAzCount: int(1, MAX_AZS),
    natGateways: oneOf("single", "perAz"),
    flowLogs: bool(),
    flowLogRetentionDays: int(1, 3653),
    vpcCidr,
  },
  free: { azCount: 2, workloadAzCount: 1, natGateways: "single", flowLogs: false, flowLogRetentionDays: 7, vpcCidr: "10.0.0.0/16" },
  production: { azCount: 3, workloadAzCount: 3, natGateways: "perAz", flowLogs: true, flowLogRetentionDays: 90, vpcCidr: "10.0.0.0/16" },
});

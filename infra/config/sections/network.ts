import { bool, cidr, int, oneOf, section } from "../fields";

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
    azCount: int(2, 6),
    workloadAzCount: int(1, 6),
    natGateways: oneOf("single", "perAz"),
    flowLogs: bool(),
    flowLogRetentionDays: int(1, 3653),
    vpcCidr: cidr(),
  },
  free: { azCount: 2, workloadAzCount: 1, natGateways: "single", flowLogs: false, flowLogRetentionDays: 7, vpcCidr: "10.0.0.0/16" },
  production: { azCount: 3, workloadAzCount: 3, natGateways: "perAz", flowLogs: true, flowLogRetentionDays: 90, vpcCidr: "10.0.0.0/16" },
});

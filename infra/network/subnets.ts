// Pure subnet math: the VPC layout is a function of the VPC CIDR and the AZ index, so it is stable
// (adding an AZ never moves an existing subnet) and unit-testable without the Pulumi runtime.
import { type Cidr, MAX_AZS, MAX_VPC_PREFIX, MIN_VPC_PREFIX, parseCidr } from "../config/vpc-cidr";

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

export interface AzSubnets {
  readonly public: string;
  readonly private: string;
}

/**
 * Subnets of one AZ. Private subnets (nodes, pods: the VPC CNI gives every pod a VPC IP) take
 * the first six eighths of the VPC, one eighth each; public subnets (NAT gateways, load balancers)
 * share the seventh eighth, one sixty-fourth of the VPC each. The last eighth stays free.
 * For 10.0.0.0/16: private 10.0.0.0/19, 10.0.32.0/19, ...; public 10.0.192.0/22, 10.0.196.0/22, ...
 */
export function azSubnets(vpcCidr: string, azIndex: number): AzSubnets {
  const vpc = parseCidr(vpcCidr);
  if (vpc === undefined || vpc.prefix < MIN_VPC_PREFIX || vpc.prefix > MAX_VPC_PREFIX) {
    throw new Error(`vpcCidr is "${vpcCidr}"; allowed: an IPv4 CIDR from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} with no host bits set`);
  }
  if (!Number.isInteger(azIndex) || azIndex < 0 || azIndex >= MAX_AZS) {
    throw new Error(`azIndex is ${azIndex}; allowed: an integer from 0 to ${MAX_AZS - 1}`);
  }
  const size = 2 ** (32 - vpc.prefix);
  const privateSize = size / 8;
  const publicSize = size / 64;
  return {
    private: formatCidr({ base: vpc.base + azIndex * privateSize, prefix: vpc.prefix + 3 }),
    public: formatCidr({ base: vpc.base + 6 * privateSize + azIndex * publicSize, prefix: vpc.prefix + 6 }),
  };
}

/** Which NAT gateway (by AZ index) the private route table of each AZ uses. */
export function natGatewayForAz(mode: "single" | "perAz", azIndex: number): number {
  return mode === "single" ? 0 : azIndex;
}

/** How many NAT gateways the mode creates for the AZ count. */
export function natGatewayCount(mode: "single" | "perAz", azCount: number): number {
  return mode === "single" ? 1 : azCount;
}

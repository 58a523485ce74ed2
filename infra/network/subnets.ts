// Pure subnet math: the VPC layout is a function of the VPC CIDR and the AZ index, so it is stable
// (adding an AZ never moves an existing subnet) and unit-testable without the Pulumi runtime.

/** Most AZs the layout has room for; the config caps azCount at the same number. */
export const MAX_AZS = 6;
/** Smallest VPC the layout fits: public subnets are 6 bits smaller than the VPC and AWS stops at /28. */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 22;

export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed, out of range or with host bits set. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR.exec(text);
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** The VPC CIDRs the layout accepts (AWS allows /16 to /28; the layout needs room for six AZs). */
export function isLayoutVpcCidr(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && cidr.prefix >= MIN_VPC_PREFIX && cidr.prefix <= MAX_VPC_PREFIX;
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

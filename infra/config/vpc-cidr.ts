// What a valid VPC CIDR is: config validation refuses others, and the subnet layout (infra/network/subnets.ts) relies on it.

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

/** The VPC CIDRs the layout accepts (AWS allows /16 to /28; the layout needs room for six AZs). */
export function isLayoutVpcCidr(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && cidr.prefix >= MIN_VPC_PREFIX && cidr.prefix <= MAX_VPC_PREFIX;
}

// EC2 facts the capacity model needs, per instance type, dated. vCPU and memory are AWS's published
// sizes (aws.amazon.com/ec2/instance-types); ENIs and IPv4 addresses per ENI are the ones EKS's node
// bootstrap (nodeadm) computes max pods from (awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl,
// 2026-07-01). Adding an instance type is one row (or one name, next to types of its size).

export interface InstanceFacts {
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** ENIs on the default network card. */
  readonly enis: number;
  readonly ipv4PerEni: number;
}

export const INSTANCE_FACTS_VERIFIED = {
  on: "2026-12-01",
  source: "aws.amazon.com/ec2/instance-types (vCPU, memory); github.com/awslabs/amazon-eks-ami nodeadm instance-info.jsonl (ENIs, IPv4 per ENI)",
} as const;

const gib = (n: number) => n * 1024;

/** Types of one size (m5, m5a, m6i: other CPU vendor or generation) have the same facts: stated once. */
const sameSize = (types: readonly string[], facts: InstanceFacts): Record<string, InstanceFacts> =>
  Object.fromEntries(types.map((type) => [type, facts]));

export const INSTANCE_FACTS: Readonly<Record<string, InstanceFacts>> = {
  "t3.micro": { vcpu: 2, memoryMiB: gib(1), enis: 2, ipv4PerEni: 2 },
  "t3.small": { vcpu: 2, memoryMiB: gib(2), enis: 3, ipv4PerEni: 4 },
  "t3a.small": { vcpu: 2, memoryMiB: gib(2), enis: 2, ipv4PerEni: 4 },
  "t3.medium": { vcpu: 2, memoryMiB: gib(4), enis: 3, ipv4PerEni: 6 },
  "t3.large": { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 12 },
  ...sameSize(["m5.large", "m5a.large", "m6i.large"], { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 10 }),
  ...sameSize(["m5.xlarge", "m5a.xlarge", "m6i.xlarge"], { vcpu: 4, memoryMiB: gib(16), enis: 4, ipv4PerEni: 15 }),
  "r5.large": { vcpu: 2, memoryMiB: gib(16), enis: 3, ipv4PerEni: 10 },
};

export function instanceFacts(type: string): InstanceFacts | undefined {
  return INSTANCE_FACTS[type];
}

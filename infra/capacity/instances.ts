// EC2 facts the capacity model needs, per instance type, dated. vCPU and memory are AWS's published
// sizes (aws.amazon.com/ec2/instance-types); ENIs and IPv4 addresses per ENI are the ones EKS's node
// bootstrap (nodeadm) computes max pods from (awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl,
// 2026-07-01). Adding an instance type is one row.

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

export const INSTANCE_FACTS: Readonly<Record<string, InstanceFacts>> = {
  "t3.micro": { vcpu: 2, memoryMiB: gib(1), enis: 2, ipv4PerEni: 2 },
  "t3.small": { vcpu: 2, memoryMiB: gib(2), enis: 3, ipv4PerEni: 4 },
  "t3a.small": { vcpu: 2, memoryMiB: gib(2), enis: 2, ipv4PerEni: 4 },
  "t3.medium": { vcpu: 2, memoryMiB: gib(4), enis: 3, ipv4PerEni: 6 },
  "t3.large": { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 12 },
  "m5.large": { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 10 },
  "m5a.large": { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 10 },
  "m6i.large": { vcpu: 2, memoryMiB: gib(8), enis: 3, ipv4PerEni: 10 },
  "m5.xlarge": { vcpu: 4, memoryMiB: gib(16), enis: 4, ipv4PerEni: 15 },
  "m5a.xlarge": { vcpu: 4, memoryMiB: gib(16), enis: 4, ipv4PerEni: 15 },
  "m6i.xlarge": { vcpu: 4, memoryMiB: gib(16), enis: 4, ipv4PerEni: 15 },
  "r5.large": { vcpu: 2, memoryMiB: gib(16), enis: 3, ipv4PerEni: 10 },
};

export function instanceFacts(type: string): InstanceFacts | undefined {
  return INSTANCE_FACTS[type];
}

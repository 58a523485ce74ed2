// What one node offers pods, as the EKS-optimized AL2023 AMI configures the kubelet (nodeadm):
// kube-reserved CPU 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above four;
// kube-reserved memory 11 MiB per max pod + 255 MiB; eviction at 100 MiB available. Max pods is the
// ENI formula, or with prefix delegation min(ENI formula x 16, 110 below 30 vCPUs / 250 above), the cap
// managed node groups enforce. Reserved memory follows the max pods actually applied (conservative: nodeadm
// computes it from the ENI figure unless told otherwise). The kubelet sees less memory than the instance
// size: we take Karpenter's default 7.5% VM overhead.
import type { InstanceFacts } from "./instances";

export const VM_MEMORY_OVERHEAD = 0.075;
export const EVICTION_HARD_MIB = 100;

export interface Allocatable {
  readonly cpuMillis: number;
  readonly memoryMi: number;
  readonly pods: number;
}

export interface NodeShape extends Allocatable {
  readonly maxPods: number;
  readonly capacityMemoryMi: number;
  readonly kubeReservedCpuMillis: number;
  readonly kubeReservedMemoryMi: number;
}

export function maxPods(i: InstanceFacts, prefixDelegation: boolean): number {
  const secondaryIps = i.enis * (i.ipv4PerEni - 1);
  if (!prefixDelegation) return secondaryIps + 2;
  return Math.min(secondaryIps * 16 + 2, i.vcpu < 30 ? 110 : 250);
}

export function kubeReservedCpuMillis(vcpu: number): number {
  const total = vcpu * 1000;
  const ranges: [number, number, number][] = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, Infinity, 25],
  ];
  return ranges.reduce((sum, [start, end, basisPoints]) => (total <= start ? sum : sum + Math.floor(((Math.min(total, end) - start) * basisPoints) / 10000)), 0);
}

export const kubeReservedMemoryMi = (pods: number): number => 11 * pods + 255;

export function nodeShape(i: InstanceFacts, prefixDelegation: boolean): NodeShape {
  const pods = maxPods(i, prefixDelegation);
  const capacityMemoryMi = Math.floor(i.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  const reservedCpu = kubeReservedCpuMillis(i.vcpu);
  const reservedMemory = kubeReservedMemoryMi(pods);
  return {
    cpuMillis: i.vcpu * 1000 - reservedCpu,
    memoryMi: capacityMemoryMi - reservedMemory - EVICTION_HARD_MIB,
    pods,
    maxPods: pods,
    capacityMemoryMi,
    kubeReservedCpuMillis: reservedCpu,
    kubeReservedMemoryMi: reservedMemory,
  };
}

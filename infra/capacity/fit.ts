// Do a stack's pods fit its node group at the minimum node count, with room for one rolling update?
// First-fit decreasing over identical nodes (the smallest instance type of the group), DaemonSets taken
// off every node first. A scheduler does no better than a packing that fails, so a failure here is real;
// a success leaves topology spread (zones) aside, which the headroom has to absorb.
import { instanceFacts } from "./instances";
import { type Allocatable, nodeShape, type NodeShape } from "./node";
import { type CapacityResource, stackPods, type Unsized } from "./pods";
import { add, NONE, type PodGroup, type Requests, times } from "./quantities";

export interface NodeGroupShape {
  readonly instanceType: string;
  readonly minNodes: number;
  readonly prefixDelegation: boolean;
}

export interface Pod {
  readonly name: string;
  readonly requests: Requests;
}

export interface CapacityReport {
  readonly group: NodeGroupShape;
  readonly node: NodeShape;
  /** What every node gives the DaemonSets, and what is left per node. */
  readonly perNodeDaemonSets: Requests & { readonly pods: number };
  readonly free: Allocatable;
  readonly pods: number;
  /** Requests of every pod but the DaemonSets, and the nodes' allocatable after DaemonSets, both summed. */
  readonly requested: Requests;
  readonly allocatable: Requests;
  /** Pods that fit no node even on their own, pods the packing left over, the surge pod that found no room. */
  readonly oversized: readonly Pod[];
  readonly unplaced: readonly Pod[];
  readonly surge: { readonly pod: Pod; readonly fits: boolean } | undefined;
  readonly unsized: readonly Unsized[];
  readonly problems: readonly string[];
}

const fitsIn = (free: Allocatable, used: Allocatable, r: Requests) => used.pods + 1 <= free.pods && used.cpuMillis + r.cpuMillis <= free.cpuMillis && used.memoryMi + r.memoryMi <= free.memoryMi;

/** Places pods first-fit decreasing (memory, then CPU); returns what is used per node and what found no node. */
export function pack(free: Allocatable, nodes: number, pods: readonly Pod[]): { used: Allocatable[]; unplaced: Pod[] } {
  const used: Allocatable[] = Array.from({ length: nodes }, () => ({ cpuMillis: 0, memoryMi: 0, pods: 0 }));
  const unplaced: Pod[] = [];
  const order = [...pods].sort((a, b) => b.requests.memoryMi - a.requests.memoryMi || b.requests.cpuMillis - a.requests.cpuMillis);
  for (const pod of order) {
    const i = used.findIndex((u) => fitsIn(free, u, pod.requests));
    if (i < 0) unplaced.push(pod);
    else used[i] = { cpuMillis: used[i].cpuMillis + pod.requests.cpuMillis, memoryMi: used[i].memoryMi + pod.requests.memoryMi, pods: used[i].pods + 1 };
  }
  return { used, unplaced };
}

const mi = (n: number) => `${Math.round(n)}Mi`;
const describe = (p: Pod) => `${p.name} (${p.requests.cpuMillis}m/${mi(p.requests.memoryMi)})`;

/** The capacity verdict for pod groups on a node group. */
export function fit(group: NodeGroupShape, groups: readonly PodGroup[], unsized: readonly Unsized[] = []): CapacityReport {
  const facts = instanceFacts(group.instanceType);
  if (facts === undefined) throw new Error(`capacity: no instance facts for ${group.instanceType} (add a row to infra/capacity/instances.ts)`);
  const node = nodeShape(facts, group.prefixDelegation);
  const daemonSets = groups.filter((g) => g.perNode);
  const perNode = daemonSets.reduce<Requests>((acc, g) => add(acc, g.requests), NONE);
  const free: Allocatable = { cpuMillis: node.cpuMillis - perNode.cpuMillis, memoryMi: node.memoryMi - perNode.memoryMi, pods: node.pods - daemonSets.length };
  const pods: Pod[] = groups.filter((g) => !g.perNode).flatMap((g) => Array.from({ length: g.replicas }, (_, i) => ({ name: `${g.namespace}/${g.name}-${i}`, requests: g.requests })));
  const oversized = pods.filter((p) => !fitsIn(free, { cpuMillis: 0, memoryMi: 0, pods: 0 }, p.requests));
  const { used, unplaced } = pack(free, group.minNodes, pods);
  // The largest pod a rolling update starts next to the old ones (maxSurge 1).
  const surgeGroup = groups.filter((g) => g.surge && g.replicas > 0).sort((a, b) => b.requests.memoryMi - a.requests.memoryMi || b.requests.cpuMillis - a.requests.cpuMillis)[0];
  const surgePod = surgeGroup === undefined ? undefined : { name: `${surgeGroup.namespace}/${surgeGroup.name}-surge`, requests: surgeGroup.requests };
  const surge = surgePod === undefined ? undefined : { pod: surgePod, fits: unplaced.length === 0 && used.some((u) => fitsIn(free, u, surgePod.requests)) };
  const requested = pods.reduce<Requests>((acc, p) => add(acc, p.requests), NONE);
  const where = `${group.minNodes} x ${group.instanceType} (prefix delegation ${group.prefixDelegation ? "on" : "off"})`;
  const problems = [
    ...unsized.map((u) => `${u.resource}: ${u.reason}`),
    ...oversized.map((p) => `${describe(p)} is larger than one node's free allocatable (${free.cpuMillis}m/${mi(free.memoryMi)} after DaemonSets) on ${group.instanceType}`),
    ...(unplaced.length > oversized.length ? [`${unplaced.length} pods do not fit ${where}: ${unplaced.map(describe).join(", ")}`] : []),
    ...(surge !== undefined && !surge.fits && unplaced.length === 0 ? [`no room for one rolling update on ${where}: ${describe(surge.pod)} finds no node`] : []),
  ];
  return {
    group,
    node,
    perNodeDaemonSets: { ...perNode, pods: daemonSets.length },
    free,
    pods: pods.length,
    requested,
    allocatable: times({ cpuMillis: free.cpuMillis, memoryMi: free.memoryMi }, group.minNodes),
    oversized,
    unplaced,
    surge,
    unsized,
    problems,
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** The node group of a stack: the smallest of its instance types, its minimum size, prefix delegation from the VPC CNI add-on. */
export function nodeGroupOf(resources: readonly CapacityResource[]): NodeGroupShape | undefined {
  const ng = resources.find((r) => r.type === "eks:index:ManagedNodeGroup" || r.type === "aws:eks/nodeGroup:NodeGroup");
  if (ng === undefined) return undefined;
  const types = (Array.isArray(ng.inputs["instanceTypes"]) ? ng.inputs["instanceTypes"] : []).map(String);
  const smallest = [...types].sort((a, b) => (instanceFacts(a)?.memoryMiB ?? 0) - (instanceFacts(b)?.memoryMiB ?? 0) || (instanceFacts(a)?.vcpu ?? 0) - (instanceFacts(b)?.vcpu ?? 0))[0];
  const cni = resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs["addonName"] === "vpc-cni");
  let prefixDelegation = false;
  if (typeof cni?.inputs["configurationValues"] === "string") {
    const env = obj(obj(JSON.parse(cni.inputs["configurationValues"]) as unknown)["env"]);
    prefixDelegation = env["ENABLE_PREFIX_DELEGATION"] === "true";
  }
  return { instanceType: smallest ?? "", minNodes: Number(obj(ng.inputs["scalingConfig"])["minSize"] ?? 1), prefixDelegation };
}

/** The capacity report of a stack's resources, or undefined when it has no node group. */
export function capacityOf(resources: readonly CapacityResource[]): CapacityReport | undefined {
  const group = nodeGroupOf(resources);
  if (group === undefined) return undefined;
  const { groups, unsized } = stackPods(resources);
  return fit(group, groups, unsized);
}

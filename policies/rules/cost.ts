import { FREE, resourceRule } from "../engine/define";
import { at, bool, num, str, strings } from "../engine/inputs";
import type { PolicyResource, Rule } from "../engine/types";

/**
 * Burstable sizes the free tier accepts for nodes (t3.micro is EC2 free-tier). Medium is the largest: after
 * EKS's own pods and kube-reserved memory, three t3.medium hold what six or more t3.small would, for less.
 */
export const FREE_NODE_TYPES = ["t3.micro", "t3.small", "t3.medium", "t3a.micro", "t3a.small", "t3a.medium", "t4g.micro", "t4g.small", "t4g.medium"];
/** RDS and ElastiCache free tier: 750 h/month of these classes. */
export const FREE_RDS_CLASSES = ["db.t3.micro", "db.t4g.micro"];
export const FREE_RDS_MAX_STORAGE_GB = 20;
export const FREE_REDIS_NODE_TYPES = ["cache.t3.micro", "cache.t4g.micro"];

/** No problem when the value is on the free allow-list, else one naming it (`unset` when missing). */
function outsideFree(what: string, value: string | undefined, allowed: readonly string[]): string[] {
  return value !== undefined && allowed.includes(value) ? [] : [`${what} ${value ?? "unset"} is outside the free allow-list`];
}

function nodeTypes(r: PolicyResource): string[] {
  switch (r.type) {
    case "eks:index:Cluster":
      // Only the component's default node group uses these; skipDefaultNodeGroup leaves none.
      if (bool(r.inputs["skipDefaultNodeGroup"]) === true) return [];
      return [str(r.inputs["instanceType"]) ?? "t3.medium (the default node group's default)", str(at(r.inputs, "nodeGroupOptions.instanceType"))].filter(
        (t): t is string => t !== undefined,
      );
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return [str(r.inputs["instanceType"])].filter((t): t is string => t !== undefined);
    default:
      return strings(r.inputs["instanceTypes"]);
  }
}

const freeNodeTypes = resourceRule({
  name: "cost-free-node-types",
  description: `Free-tier nodes use small burstable types (${FREE_NODE_TYPES.join(", ")}).`,
  remediation: "Set gamemetrics:eks.nodeInstanceTypes to [\"t3.medium\"] on free-tier stacks.",
  levels: FREE,
  appliesTo: ["eks:index:ManagedNodeGroup", "aws:eks/nodeGroup:NodeGroup", "eks:index:Cluster", "aws:ec2/launchTemplate:LaunchTemplate"],
  check: (r) => nodeTypes(r).flatMap((t) => outsideFree("node type", t, FREE_NODE_TYPES)),
});

const freeRds = resourceRule({
  name: "cost-free-rds",
  description: `Free-tier RDS uses ${FREE_RDS_CLASSES.join(" or ")} with at most ${FREE_RDS_MAX_STORAGE_GB} GB.`,
  remediation: "Keep gamemetrics:rds.instanceClass db.t3.micro and allocatedStorageGb 20 on free-tier stacks.",
  levels: FREE,
  appliesTo: ["aws:rds/instance:Instance"],
  check(r) {
    const problems = outsideFree("instance class", str(r.inputs["instanceClass"]), FREE_RDS_CLASSES);
    const storage = num(r.inputs["allocatedStorage"]);
    if (storage !== undefined && storage > FREE_RDS_MAX_STORAGE_GB) problems.push(`allocatedStorage ${storage} GB exceeds ${FREE_RDS_MAX_STORAGE_GB} GB`);
    return problems;
  },
});

/** Nodes a replication group runs: shards x (1 + replicas), or numCacheClusters. */
function redisNodes(r: PolicyResource): number {
  const shards = num(r.inputs["numNodeGroups"]);
  if (shards !== undefined) return shards * (1 + (num(r.inputs["replicasPerNodeGroup"]) ?? 0));
  return num(r.inputs["numCacheClusters"]) ?? 1;
}

const freeRedis = resourceRule({
  name: "cost-free-redis",
  description: `Free-tier Redis is one ${FREE_REDIS_NODE_TYPES.join(" or ")} node.`,
  remediation: "Keep gamemetrics:redis at the free profile (cache.t3.micro, 1 shard, 0 replicas).",
  levels: FREE,
  appliesTo: ["aws:elasticache/replicationGroup:ReplicationGroup"],
  check(r) {
    const problems = outsideFree("node type", str(r.inputs["nodeType"]), FREE_REDIS_NODE_TYPES);
    if (redisNodes(r) > 1) problems.push(`${redisNodes(r)} cache nodes; the free tier covers 1`);
    return problems;
  },
});

export const COST_RULES: readonly Rule[] = [freeNodeTypes, freeRds, freeRedis];

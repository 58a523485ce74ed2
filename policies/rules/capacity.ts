import { capacityOf } from "../../infra/capacity/fit";
import { ALWAYS, stackRule } from "../engine/define";
import type { Rule } from "../engine/types";

/**
 * The stack's pods fit its node group at the minimum node count, no single pod is larger than a node,
 * and one rolling update has room (infra/capacity). Pods the scheduler cannot place stay Pending, and
 * everything that waits on them (Kafka's registry and CDC behind the brokers, say) times out with them.
 */
const capacityFits = stackRule({
  name: "capacity-fits",
  description: "Every pod fits the node group at its minimum size (requests vs node allocatable after kube-reserved, eviction and DaemonSets), with room for one rolling update.",
  remediation: "Raise gamemetrics:eks.nodeMinCount or use larger gamemetrics:eks.nodeInstanceTypes, or lower the requests in the tier profile; `npm run plan` prints the headroom.",
  levels: ALWAYS,
  appliesTo: ["eks:index:ManagedNodeGroup", "kubernetes:helm.sh/v4:Chart", "kubernetes:apps/v1:Deployment", "kubernetes:kafka.strimzi.io/*:KafkaNodePool"],
  check(resources) {
    const report = capacityOf(resources);
    if (report === undefined) return [];
    const ng = resources.find((r) => r.type === "eks:index:ManagedNodeGroup" || r.type === "aws:eks/nodeGroup:NodeGroup");
    return report.problems.map((message) => ({ ...(ng === undefined ? {} : { resource: { type: ng.type, name: ng.name } }), message }));
  },
});

export const CAPACITY_RULES: readonly Rule[] = [capacityFits];

import { one, res, type RuleCase, TAGS } from "./support";

const mng = (instanceTypes: string[]) => res("eks:index:ManagedNodeGroup", { instanceTypes, tags: TAGS });

export const COST_TAG_CASES: Record<string, RuleCase> = {
  "cost-free-node-types": {
    pass: one(
      mng(["t3.small"]),
      res("eks:index:Cluster", { skipDefaultNodeGroup: true }),
      res("eks:index:Cluster", { instanceType: "t3.small" }),
      res("aws:ec2/launchTemplate:LaunchTemplate", {}),
    ),
    fail: one(
      mng(["m5.large"]),
      mng(["t3.small", "t3.large"]),
      res("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["r5.xlarge"] }),
      // The component's default node group silently runs t3.medium.
      res("eks:index:Cluster", {}),
      res("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "m5.large" }),
    ),
  },
  "tags-required": {
    pass: one(res("aws:ec2/vpc:Vpc", { tags: { ...TAGS, Name: "vpc" } }), res("aws:iam/rolePolicy:RolePolicy", { policy: "{}" })),
    fail: one(
      res("aws:ec2/vpc:Vpc", {}),
      res("aws:rds/instance:Instance", { tags: { project: "gamemetrics", env: "prod" } }),
      res("eks:index:Cluster", { tags: { ...TAGS, tier: "" } }),
    ),
  },
};

import { res, type RuleCase } from "./support";

const nodes = (instanceTypes: string[], minSize: number) => res("eks:index:ManagedNodeGroup", { instanceTypes, scalingConfig: { minSize, desiredSize: minSize, maxSize: minSize + 1 } }, "nodes");
const deployment = (name: string, replicas: number, cpu: string, memory: string) =>
  res(
    "kubernetes:apps/v1:Deployment",
    { metadata: { name, namespace: "gamemetrics" }, spec: { replicas, template: { spec: { containers: [{ name, resources: { requests: { cpu, memory } } }] } } } },
    name,
  );

export const CAPACITY_CASES: Readonly<Record<string, RuleCase>> = {
  "capacity-fits": {
    pass: [[nodes(["t3.medium"], 1), deployment("api", 2, "500m", "1Gi")], [deployment("no-node-group", 1, "64", "1Ti")]],
    fail: [
      // The broker of the old production profile on an m5.large: larger than the node.
      [nodes(["m5.large"], 3), deployment("broker", 1, "2000m", "8192Mi")],
      // Each pod fits, all of them do not (3 x 3 GiB on one t3.medium).
      [nodes(["t3.medium"], 1), deployment("api", 3, "100m", "1Gi"), deployment("worker", 2, "100m", "1Gi")],
      // Everything fits, but a rolling update of the 2.5 GiB pod finds no node.
      [nodes(["t3.medium"], 1), deployment("big", 1, "100m", "2560Mi")],
    ],
  },
};

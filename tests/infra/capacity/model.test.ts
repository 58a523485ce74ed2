// The capacity model: node allocatable from the instance facts (expected values worked out by hand
// from nodeadm's formulas), the packing, and every stack and tier against its node group.
import { fit, capacityOf, pack } from "../../../infra/capacity/fit";
import { INSTANCE_FACTS } from "../../../infra/capacity/instances";
import { kubeReservedCpuMillis, maxPods, nodeShape } from "../../../infra/capacity/node";
import { CHART_PODS } from "../../../infra/capacity/charts";
import { stackPods } from "../../../infra/capacity/pods";
import { memoryMi } from "../../../infra/capacity/quantities";
import type { Capture } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";

const TAGGED = "gamemetrics:apps.imageTag=1.0.0";
const captures: Record<string, Capture> = {};
const VARIANTS: Record<string, string[]> = {
  dev: [TAGGED],
  staging: [TAGGED],
  prod: [TAGGED],
  "prod-msk": [TAGGED, "gamemetrics:kafka.mode=msk"],
  // Production's apps are Argo CD's by default (rendered, not in the capture): Pulumi's own apps, to size them.
  "prod-pulumi": [TAGGED, "gamemetrics:apps.delivery=pulumi"],
  // The review's findings, as the program was: prod on m5.large, dev on t3.small with prefix delegation.
  "prod-m5-large": [TAGGED, 'gamemetrics:eks.nodeInstanceTypes=["m5.large","m5a.large"]', "gamemetrics:eks.nodeMinCount=3", "gamemetrics:eks.nodeDesiredCount=3"],
  "dev-t3-small": [TAGGED, 'gamemetrics:eks.nodeInstanceTypes=["t3.small"]', "gamemetrics:eks.prefixDelegation=true"],
};

beforeAll(async () => {
  for (const [name, config] of Object.entries(VARIANTS)) captures[name] = await cachedCapture({ stack: name.split("-")[0], config });
}, 600_000);

describe("node allocatable", () => {
  it("computes max pods with and without prefix delegation", () => {
    expect(maxPods(INSTANCE_FACTS["t3.small"], false)).toBe(11); // 3 x (4 - 1) + 2
    expect(maxPods(INSTANCE_FACTS["t3.small"], true)).toBe(110); // min(3 x 3 x 16 + 2 = 146, 110)
    expect(maxPods(INSTANCE_FACTS["m5.large"], false)).toBe(29);
    expect(maxPods(INSTANCE_FACTS["m5.xlarge"], false)).toBe(58);
    expect(maxPods(INSTANCE_FACTS["t3a.small"], false)).toBe(8);
  });

  it("reserves CPU by nodeadm's ranges and memory by max pods, and keeps 100 MiB for eviction", () => {
    expect(kubeReservedCpuMillis(2)).toBe(70); // 60 + 10
    expect(kubeReservedCpuMillis(4)).toBe(80); // 60 + 10 + 10
    expect(kubeReservedCpuMillis(8)).toBe(90); // + 4 x 2.5
    // m5.large: 8 GiB seen as 7577 MiB; 29 pods reserve 574 MiB.
    expect(nodeShape(INSTANCE_FACTS["m5.large"], false)).toMatchObject({ cpuMillis: 1930, memoryMi: 7577 - 574 - 100, pods: 29 });
    // t3.small with prefix delegation: 110 pods reserve 1465 MiB of its 1894.
    expect(nodeShape(INSTANCE_FACTS["t3.small"], true)).toMatchObject({ memoryMi: 1894 - 1465 - 100, pods: 110, kubeReservedMemoryMi: 1465 });
  });

  it("reads Kubernetes memory quantities", () => {
    expect(memoryMi("2Gi")).toBe(2048);
    expect(memoryMi("1024Ki")).toBe(1);
    expect(memoryMi("512Mi")).toBe(512);
  });
});

describe("packing", () => {
  const group = { instanceType: "m5.large", minNodes: 2, prefixDelegation: false };
  const pods = (name: string, replicas: number, cpuMillis: number, memoryMi: number, extra = {}) => ({ name, namespace: "ns", replicas, requests: { cpuMillis, memoryMi }, ...extra });

  it("refuses a pod larger than one node, pods that do not fit together, and a rolling update without room", () => {
    expect(fit(group, [pods("broker", 1, 2000, 8192)]).problems[0]).toMatch(/^ns\/broker-0 \(2000m\/8192Mi\) is larger than one node's free allocatable \(1930m\/6903Mi/);
    expect(fit(group, [pods("api", 5, 100, 3000)]).problems).toEqual([expect.stringMatching(/^1 pods do not fit 2 x m5\.large/)]);
    expect(fit(group, [pods("api", 4, 100, 3000, { surge: true })]).problems).toEqual([expect.stringMatching(/^no room for one rolling update on 2 x m5\.large/)]);
    expect(fit(group, [pods("api", 3, 100, 3000, { surge: true })]).problems).toEqual([]);
  });

  it("takes DaemonSets off every node before packing", () => {
    const ds = pods("agent", 1, 0, 3000, { perNode: true });
    expect(fit(group, [ds, pods("api", 2, 100, 3000)]).problems).toEqual([]);
    expect(fit(group, [ds, pods("api", 2, 100, 4000)]).problems[0]).toMatch(/larger than one node's free allocatable \(1930m\/3903Mi/);
  });

  it("counts pod slots", () => {
    expect(pack({ cpuMillis: 10_000, memoryMi: 10_000, pods: 2 }, 1, [1, 2, 3].map((i) => ({ name: `p${i}`, requests: { cpuMillis: 1, memoryMi: 1 } }))).unplaced).toHaveLength(1);
  });
});

describe("stacks", () => {
  it.each(["dev", "staging", "prod", "prod-msk"])("%s fits its node group at the minimum, with room for a rolling update", (name) => {
    const report = capacityOf(captures[name].resources);
    expect(report?.problems).toEqual([]);
    expect(report?.surge?.fits).toBe(true);
    expect(report?.unsized).toEqual([]);
  });

  it("catches the review's findings: production brokers larger than an m5.large, dev's requests beyond t3.small with prefix delegation", () => {
    const prod = capacityOf(captures["prod-m5-large"].resources);
    expect(prod?.problems.some((p) => /^kafka\/kafka-brokers-0 \(2000m\/8192Mi\) is larger than one node's free allocatable/.test(p))).toBe(true);
    const dev = capacityOf(captures["dev-t3-small"].resources);
    expect(dev?.node).toMatchObject({ pods: 110, kubeReservedMemoryMi: 1465 });
    expect(dev?.problems.length).toBeGreaterThan(0);
    // Dev's pods ask for about 6 GiB (the review counted 6.9 with the five apps that had no code).
    expect(dev?.requested.memoryMi).toBeGreaterThan(5500);
  });

  it("sizes every chart the stacks install, and reads the requests we set", () => {
    const charts = new Set(Object.values(captures).flatMap((c) => c.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((r) => String(r.inputs.chart))));
    for (const chart of charts) expect(Object.keys(CHART_PODS)).toContain(chart);
    const groups = stackPods(captures.dev.resources).groups;
    const byName = (name: string) => groups.find((g) => g.name === name);
    // Values we set, read back through the chart entries (a wrong key path would read 0).
    expect(byName("prometheus")?.requests).toEqual({ cpuMillis: 200 + 10, memoryMi: 768 + 50 });
    expect(byName("kafka-brokers")?.requests).toEqual({ cpuMillis: 250, memoryMi: 1024 });
    expect(byName("external-secrets-webhook")?.requests).toEqual({ cpuMillis: 10, memoryMi: 64 });
    expect(byName("kyverno-admission-controller")?.requests).toEqual({ cpuMillis: 50, memoryMi: 192 });
    expect(byName("migrate-1-0-0")?.requests).toEqual({ cpuMillis: 100, memoryMi: 256 });
    expect(byName("node-exporter")?.perNode).toBe(true);
    const prodGroups = stackPods(captures["prod-pulumi"].resources).groups;
    // Meshed namespaces' pods carry the Linkerd proxy's requests (50m/32Mi in production).
    expect(prodGroups.find((g) => g.name === "ingestion")?.requests).toEqual({ cpuMillis: 250 + 50, memoryMi: 512 + 32 });
  });
});

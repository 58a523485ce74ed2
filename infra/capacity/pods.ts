// The pods a stack runs, read from its resources (the capture offline, the resources of a real preview):
// the workloads we author, the Strimzi custom resources, the EKS add-ons, and per chart what its values
// make it run (charts.ts). Requests are what the scheduler reserves; a pod without requests still takes a
// pod slot on its node.
import { CHART_PODS, type ChartValues } from "./charts";
import { add, cpuMillis, memoryMi, NONE, type PodGroup, type Requests, requestsOf } from "./quantities";

export interface CapacityResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly parent?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A pod's requests: its containers together, or its largest init container if that is more. */
export function podRequests(spec: Obj): Requests {
  const sum = arr(spec["containers"]).reduce<Requests>((acc, c) => add(acc, requestsOf(obj(c)["resources"])), NONE);
  const init = arr(spec["initContainers"]).map((c) => requestsOf(obj(c)["resources"]));
  return init.reduce((acc, r) => ({ cpuMillis: Math.max(acc.cpuMillis, r.cpuMillis), memoryMi: Math.max(acc.memoryMi, r.memoryMi) }), sum);
}

const WORKLOAD = /^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet)|batch\/v1:(Job|CronJob)|argoproj\.io\/v1alpha1:(Rollout))$/;
const STRIMZI = /^kubernetes:kafka\.strimzi\.io\/[^:]+:(KafkaNodePool|Kafka|KafkaConnect)$/;

function authored(r: CapacityResource, hpaMin: ReadonlyMap<string, number>): PodGroup[] {
  const m = WORKLOAD.exec(r.type);
  if (m === null) return [];
  const meta = obj(r.inputs["metadata"]);
  const name = String(meta["name"] ?? r.name);
  const namespace = String(meta["namespace"] ?? "default");
  const spec = obj(r.inputs["spec"]);
  const kind = m[2] ?? m[3] ?? m[4];
  const template = kind === "CronJob" ? obj(obj(obj(spec["jobTemplate"])["spec"])["template"]) : obj(spec["template"]);
  const requests = podRequests(obj(template["spec"]));
  if (kind === "DaemonSet") return [{ name, namespace, replicas: 1, requests, perNode: true }];
  if (kind === "Job" || kind === "CronJob") return [{ name, namespace, replicas: 1, requests }];
  const replicas = typeof spec["replicas"] === "number" ? spec["replicas"] : (hpaMin.get(`${namespace}/${name}`) ?? 1);
  // A canary Rollout keeps the stable pods at full count and brings the canary up to full count before
  // it takes all traffic (the stable set goes 30 s later): at that moment it runs twice its replicas.
  if (kind === "Rollout") return [{ name, namespace, replicas, requests }, { name: `${name}-canary`, namespace, replicas, requests }];
  return [{ name, namespace, replicas, requests, surge: kind === "Deployment" }];
}

function strimzi(r: CapacityResource): PodGroup[] {
  const m = STRIMZI.exec(r.type);
  if (m === null) return [];
  const meta = obj(r.inputs["metadata"]);
  const namespace = String(meta["namespace"] ?? "default");
  const name = String(meta["name"] ?? r.name);
  const spec = obj(r.inputs["spec"]);
  switch (m[1]) {
    case "KafkaNodePool":
      return [{ name: `kafka-${name}`, namespace, replicas: Number(spec["replicas"] ?? 1), requests: requestsOf(spec["resources"]) }];
    case "KafkaConnect":
      return [{ name, namespace, replicas: Number(spec["replicas"] ?? 1), requests: requestsOf(spec["resources"]) }];
    default:
      // The operator's own pods for the cluster; we set no requests on them.
      return [
        ...(spec["entityOperator"] === undefined ? [] : [{ name: `${name}-entity-operator`, namespace, replicas: 1, requests: requestsOf(obj(obj(spec["entityOperator"])["topicOperator"])["resources"]) }]),
        ...(spec["kafkaExporter"] === undefined ? [] : [{ name: `${name}-kafka-exporter`, namespace, replicas: 1, requests: requestsOf(obj(spec["kafkaExporter"])["resources"]) }]),
      ];
  }
}

/**
 * Pods of the EKS managed add-ons, as EKS installs them by default: CoreDNS (2 x 100m/70Mi, the
 * upstream manifest), the EBS CSI controller (2 pods of 7 containers x 10m/40Mi) and node plugin
 * (3 x 10m/40Mi), the VPC CNI (aws-node and the network policy agent, 25m each) and kube-proxy (100m).
 * Sources: kubernetes-sigs/aws-ebs-csi-driver and aws/amazon-vpc-cni-k8s chart values (2026-08).
 */
export const ADDON_PODS: Readonly<Record<string, readonly Omit<PodGroup, "namespace">[]>> = {
  coredns: [{ name: "coredns", replicas: 2, requests: { cpuMillis: 100, memoryMi: 70 }, surge: true }],
  "aws-ebs-csi-driver": [
    { name: "ebs-csi-controller", replicas: 2, requests: { cpuMillis: 70, memoryMi: 280 }, surge: true },
    { name: "ebs-csi-node", replicas: 1, requests: { cpuMillis: 30, memoryMi: 120 }, perNode: true },
  ],
  "vpc-cni": [{ name: "aws-node", replicas: 1, requests: { cpuMillis: 50, memoryMi: 0 }, perNode: true }],
  "kube-proxy": [{ name: "kube-proxy", replicas: 1, requests: { cpuMillis: 100, memoryMi: 0 }, perNode: true }],
};

/** A resource the capacity model cannot size: the stack is refused until one entry says what it runs. */
export interface Unsized {
  readonly resource: string;
  readonly reason: string;
}

/** Children a chart renders in a real preview are counted through the chart's entry, not twice. */
const renderedByChart = (r: CapacityResource): boolean => (r.parent ?? "").includes("kubernetes:helm.sh/v4:Chart");

/** Every pod group of a stack, with the meshed namespaces' proxies added, and what could not be sized. */
export function stackPods(resources: readonly CapacityResource[]): { groups: PodGroup[]; unsized: Unsized[] } {
  const own = resources.filter((r) => !renderedByChart(r));
  const hpaMin = new Map(
    own
      .filter((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
      .map((r) => [`${String(obj(r.inputs["metadata"])["namespace"])}/${String(obj(obj(r.inputs["spec"])["scaleTargetRef"])["name"])}`, Number(obj(r.inputs["spec"])["minReplicas"] ?? 1)]),
  );
  const groups: PodGroup[] = [];
  const unsized: Unsized[] = [];
  for (const r of own) {
    groups.push(...authored(r, hpaMin), ...strimzi(r));
    if (r.type === "aws:eks/addon:Addon") groups.push(...(ADDON_PODS[String(r.inputs["addonName"])] ?? []).map((g) => ({ ...g, namespace: "kube-system" })));
    if (r.type === "kubernetes:helm.sh/v4:Chart") {
      const chart = String(r.inputs["chart"]);
      const entry = CHART_PODS[chart];
      if (entry === undefined) unsized.push({ resource: `${r.type}::${r.name}`, reason: `no capacity entry for chart ${chart} (infra/capacity/charts.ts)` });
      else groups.push(...entry(obj(r.inputs["values"]) as ChartValues).map((g) => ({ ...g, namespace: String(r.inputs["namespace"] ?? "default") })));
    }
  }
  return { groups: withMeshProxies(resources, groups), unsized };
}

/** Linkerd injects a proxy into every pod of a namespace annotated `linkerd.io/inject: enabled`. */
function withMeshProxies(resources: readonly CapacityResource[], groups: PodGroup[]): PodGroup[] {
  const controlPlane = resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs["chart"] === "linkerd-control-plane");
  if (controlPlane === undefined) return groups;
  const proxyResources = obj(obj(obj(controlPlane.inputs["values"])["proxy"])["resources"]);
  const proxy: Requests = { cpuMillis: cpuMillis(obj(proxyResources["cpu"])["request"]), memoryMi: memoryMi(obj(proxyResources["memory"])["request"]) };
  const meshed = new Set(
    resources
      .filter((r) => r.type === "kubernetes:core/v1:Namespace" && obj(obj(r.inputs["metadata"])["annotations"])["linkerd.io/inject"] === "enabled")
      .map((r) => String(obj(r.inputs["metadata"])["name"])),
  );
  const controlPlaneNamespace = String(controlPlane.inputs["namespace"]);
  return groups.map((g) => (meshed.has(g.namespace) || (g.namespace === controlPlaneNamespace && !g.perNode) ? { ...g, requests: add(g.requests, proxy) } : g));
}

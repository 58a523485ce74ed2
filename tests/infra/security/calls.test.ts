// Every admission webhook the charts install and every cross-namespace call the platform makes is
// admitted under default-deny, in both Kafka modes; MSK's ports are open exactly to the namespaces that
// talk to MSK. Written out by hand from the pinned charts' values.yaml and our call graph, NOT derived
// from infra/security's tables, and checked against the NetworkPolicies the program registers.
import type { Capture, CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { admits, type Endpoint, policiesOf } from "./reachability";

const TAGGED = "gamemetrics:apps.imageTag=1.0.0";
// Production's apps' NetworkPolicies come from the Workloads component in both delivery modes (Argo CD
// applies the render of the same objects: tests/infra/delivery/render.test.ts); Pulumi's capture holds them.
const PROD = [TAGGED, "gamemetrics:apps.delivery=pulumi"];
const VARIANTS = {
  dev: { stack: "dev", config: [TAGGED] },
  prod: { stack: "prod", config: PROD },
  "dev-msk": { stack: "dev", config: [TAGGED, "gamemetrics:kafka.mode=msk"] },
  "prod-msk": { stack: "prod", config: [...PROD, "gamemetrics:kafka.mode=msk"] },
} as const;
type Variant = keyof typeof VARIANTS;
const captures = {} as Record<Variant, Capture>;

beforeAll(async () => {
  for (const [name, v] of Object.entries(VARIANTS)) captures[name as Variant] = await cachedCapture(v);
}, 600_000);

type Obj = Record<string, any>;
const charts = (c: Capture) => c.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
const values = (r: CapturedResource): Obj => (r.inputs.values ?? {}) as Obj;

/**
 * The webhooks each chart serves with the values we set, from each pinned chart's values.yaml:
 * external-secrets webhook.port (default 10250); aws-load-balancer-controller webhookBindPort (9443);
 * kyverno admissionController webhookServer.port (9443); kube-prometheus-stack prometheusOperator
 * admissionWebhooks.enabled (true) on tls.internalPort (10250); linkerd-control-plane: proxy injector
 * and sp-validator 8443, policy validator 9443.
 */
const WEBHOOKS: Readonly<Record<string, (v: Obj) => number[]>> = {
  "external-secrets": (v) => (v.webhook?.create === false ? [] : [v.webhook?.port ?? 10250]),
  "aws-load-balancer-controller": (v) => [v.webhookBindPort ?? 9443],
  kyverno: (v) => [v.admissionController?.webhookServer?.port ?? 9443],
  "kube-prometheus-stack": (v) => (v.prometheusOperator?.admissionWebhooks?.enabled === false ? [] : [v.prometheusOperator?.tls?.internalPort ?? 10250]),
  "linkerd-control-plane": () => [8443, 9443],
};

const vpcIp = (c: Capture, offset: number): string => {
  const vpc = c.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
  const [a, b] = String(vpc?.inputs.cidrBlock).split("/")[0].split(".");
  return `${a}.${b}.${Math.floor(offset / 256)}.${offset % 256}`;
};
const pod = (namespace: string, labels: Record<string, string> = {}): Endpoint => ({ namespace, labels });
const app = (name: string) => pod("gamemetrics", { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "gamemetrics" });
const prometheus = pod("observability", { "app.kubernetes.io/name": "prometheus" });

describe.each(Object.keys(VARIANTS) as Variant[])("%s under default-deny", (name) => {
  const c = () => captures[name];
  const msk = name.endsWith("-msk");
  const ok = (from: Endpoint, to: Endpoint, port: number, protocol?: "TCP" | "UDP") => admits(policiesOf(c().resources), { from, to, port, protocol });

  it("admits the API server to every webhook the charts serve", () => {
    const apiServer = { ip: vpcIp(c(), 300) }; // a control-plane ENI in the VPC's private subnets
    const found = charts(c()).flatMap((r) => (WEBHOOKS[String(r.inputs.chart)]?.(values(r)) ?? []).map((port) => [String(r.inputs.namespace), port] as const));
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const [namespace, port] of found) expect([namespace, port, ok(apiServer, pod(namespace), port)]).toEqual([namespace, port, true]);
    // The check can fail: a port no chart serves stays closed, and without its allow a webhook is cut off.
    expect(ok(apiServer, pod("observability"), 9443)).toBe(false);
    const withoutAllow = policiesOf(c().resources.filter((r) => !(r.name === "np-observability-allow-webhooks")));
    expect(admits(withoutAllow, { from: apiServer, to: pod("observability"), port: 10250 })).toBe(false);
  });

  it("admits the apps' calls to Kafka, the registry, Qdrant, the data stores and the trace collector", () => {
    const rds = { ip: vpcIp(c(), 600) };
    for (const a of ["ingestion", "processor", "recommendations"]) {
      expect(ok(app(a), pod("kube-system", { "k8s-app": "kube-dns" }), 53, "UDP")).toBe(true);
      expect(ok(app(a), pod("kafka", { "app.kubernetes.io/name": "schema-registry" }), 8080)).toBe(true);
      // Data stores per workload, from its catalog entry: PostgreSQL for all three, Redis and Qdrant as named.
      expect(ok(app(a), rds, 5432)).toBe(true);
      expect(ok(app(a), rds, 6379)).toBe(a !== "processor");
      expect(ok(app(a), pod("data", { "app.kubernetes.io/name": "qdrant" }), 6333)).toBe(a === "recommendations");
      expect(ok(app(a), pod("observability", { "app.kubernetes.io/name": "tempo" }), 4317)).toBe(true);
      if (!msk) expect(ok(app(a), pod("kafka", { "strimzi.io/kind": "Kafka" }), 9093)).toBe(true);
    }
    expect(ok(pod("kafka", { "strimzi.io/kind": "KafkaConnect" }), rds, 5432)).toBe(true);
    // Prometheus scrapes every namespace.
    for (const target of [app("processor"), pod("kafka", { "strimzi.io/kind": "Kafka" }), pod("data")]) expect(ok(prometheus, target, 9404)).toBe(true);
  });

  it(msk ? "opens MSK's SCRAM port to the apps and kafka namespaces and its IAM port to the admin job only" : "opens no MSK port at all", () => {
    const broker = { ip: vpcIp(c(), 900) };
    const registry = pod("kafka", { "app.kubernetes.io/name": "schema-registry" });
    const admin = pod("kafka", { "app.kubernetes.io/name": "msk-admin" });
    expect(ok(app("ingestion"), broker, 9096)).toBe(msk);
    expect(ok(registry, broker, 9096)).toBe(msk);
    expect(ok(admin, broker, 9098)).toBe(msk);
    // Never: the IAM port from anything but the admin job, or MSK's ports from other namespaces.
    expect(ok(app("ingestion"), broker, 9098)).toBe(false);
    expect(ok(registry, broker, 9098)).toBe(false);
    for (const other of ["observability", "data", "platform-system"]) expect(ok(pod(other), broker, 9096)).toBe(false);
  });
});

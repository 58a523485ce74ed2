import { one, res, type RuleCase, type Stack } from "./support";
import { deployment } from "./workloads";

const role = (rules: unknown[], kind = "Role") => res(`kubernetes:rbac.authorization.k8s.io/v1:${kind}`, { metadata: { name: "r", namespace: "gamemetrics" }, rules });
const service = (annotations: Record<string, string>, type = "LoadBalancer") =>
  res("kubernetes:core/v1:Service", { metadata: { name: "edge", namespace: "ingress", annotations }, spec: { type, ports: [{ port: 443 }] } });
const ingress = (annotations: Record<string, string>) =>
  res("kubernetes:networking.k8s.io/v1:Ingress", { metadata: { name: "api", namespace: "gamemetrics", annotations }, spec: { ingressClassName: "alb" } });
const namespace = (name: string) => res("kubernetes:core/v1:Namespace", { metadata: { name } }, `ns-${name}`);
const netpol = (ns: string, spec: Record<string, unknown>, name = "default-deny") =>
  res("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name, namespace: ns }, spec }, `${ns}-${name}`);
const denyAll = (ns: string) => netpol(ns, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const chart = (inputs: Record<string, unknown>) => res("kubernetes:helm.sh/v4:Chart", { chart: "qdrant", repositoryOpts: { repo: "https://qdrant.github.io/qdrant-helm" }, namespace: "data", ...inputs });
const hpa = (minReplicas: number) =>
  res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
    metadata: { name: "ingestion", namespace: "gamemetrics" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "ingestion" }, minReplicas, maxReplicas: 10 },
  });
const pdb = (spec: Record<string, unknown>, namespace = "gamemetrics") =>
  res("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "ingestion", namespace }, spec });
const single = deployment({}, {}, { spec: { replicas: 1 } });
const unsized = deployment({}, {}, { spec: { replicas: undefined } });

const baseline: Stack = [namespace("gamemetrics"), denyAll("gamemetrics"), deployment()];

export const KUBERNETES_CASES: Record<string, RuleCase> = {
  "k8s-no-wildcard-rbac": {
    pass: one(role([{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }])),
    fail: one(
      role([{ apiGroups: [""], resources: ["*"], verbs: ["get"] }]),
      role([{ apiGroups: ["*"], resources: ["pods"], verbs: ["get"] }], "ClusterRole"),
      role([{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }]),
    ),
  },
  "k8s-no-public-load-balancer": {
    pass: one(
      service({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }),
      service({ "gamemetrics.io/internet-facing": "true" }),
      service({}, "ClusterIP"),
      ingress({ "alb.ingress.kubernetes.io/scheme": "internal" }),
      ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing", "gamemetrics.io/internet-facing": "true" }),
    ),
    fail: one(
      service({}),
      service({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }),
      ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" }),
    ),
  },
  "k8s-default-deny-network-policy": {
    pass: [
      baseline,
      [namespace("kafka"), netpol("kafka", { podSelector: {}, policyTypes: ["Ingress"] }, "deny-in"), netpol("kafka", { podSelector: {}, policyTypes: ["Egress"] }, "deny-out")],
      [res("kubernetes:helm.sh/v4:Chart", { namespace: "kube-system", chart: "metrics-server", version: "3.12.2" })],
    ],
    fail: [
      [namespace("gamemetrics"), deployment()],
      [namespace("gamemetrics"), netpol("gamemetrics", { podSelector: {}, policyTypes: ["Ingress"] })],
      // Without policyTypes Kubernetes assumes Ingress only.
      [namespace("gamemetrics"), netpol("gamemetrics", { podSelector: {} })],
      // A policy with allow rules, or one that selects some pods only, is not a default deny.
      [namespace("gamemetrics"), netpol("gamemetrics", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] })],
      [namespace("gamemetrics"), netpol("gamemetrics", { podSelector: { matchLabels: { app: "x" } }, policyTypes: ["Ingress", "Egress"] })],
      [denyAll("gamemetrics"), chart({ namespace: "data", version: "1.12.0" })],
      [deployment({}, {}, { metadata: { namespace: "other" } }), denyAll("gamemetrics")],
    ],
  },
  "k8s-ha-replicas": {
    pass: [[deployment()], [unsized, hpa(2)]],
    fail: [[single], [unsized], [unsized, hpa(1)]],
  },
  "k8s-pdb": {
    pass: [
      [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: { app: "ingestion" } } })],
      [deployment(), pdb({ minAvailable: 1, selector: { matchExpressions: [{ key: "app", operator: "In", values: ["ingestion"] }] } })],
    ],
    fail: [
      [deployment()],
      [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: { app: "processor" } } })],
      [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: { app: "ingestion" } } }, "other")],
      [deployment(), pdb({ maxUnavailable: 0, selector: { matchLabels: { app: "ingestion" } } })],
    ],
  },
  "helm-chart-pinned": {
    pass: one(chart({ version: "1.12.0" }), chart({ version: "v0.46.1" }), chart({ chart: "oci://registry-1.docker.io/bitnamicharts/redis", repositoryOpts: undefined, version: "20.1.0" })),
    fail: one(chart({}), chart({ version: "^1.12.0" }), chart({ version: "1.x" }), chart({ version: "1.12.0", repositoryOpts: { repo: "http://charts.example.com" } })),
  },
};

// What each chart runs, from the values we set (keys as in each pinned chart's values.yaml), for the
// capacity model. A component whose requests we do not set counts with its chart's default: none for
// most, so it takes a pod slot and no reserved CPU or memory; where a chart sets a default (the
// config-reloader sidecars) it is written here. One entry per chart: a chart without one is refused.
import { add as plus, requestsOf as req, type PodGroup, type Requests } from "./quantities";

export type ChartValues = Readonly<Record<string, unknown>>;
type Group = Omit<PodGroup, "namespace">;
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const at = (v: unknown, path: string): unknown => path.split(".").reduce<unknown>((node, key) => obj(node)[key], v);
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

/** prometheus-operator's config-reloader sidecar default (--config-reloader-cpu-request/memory-request). */
const CONFIG_RELOADER: Requests = { cpuMillis: 10, memoryMi: 50 };
/** grafana/alloy chart's configReloader default resources. */
const ALLOY_RELOADER: Requests = { cpuMillis: 10, memoryMi: 50 };
const ZERO: Requests = { cpuMillis: 0, memoryMi: 0 };

const deployment = (name: string, replicas: number, requests: Requests): Group => ({ name, replicas, requests, surge: true });
const statefulSet = (name: string, replicas: number, requests: Requests): Group => ({ name, replicas, requests });
const daemonSet = (name: string, requests: Requests): Group => ({ name, replicas: 1, requests, perNode: true });

export const CHART_PODS: Readonly<Record<string, (v: ChartValues) => Group[]>> = {
  qdrant: (v) => [statefulSet("qdrant", num(v["replicaCount"], 1), req(v["resources"]))],
  "kube-prometheus-stack": (v) => [
    deployment("prometheus-operator", 1, req(at(v, "prometheusOperator.resources"))),
    statefulSet("alertmanager", num(at(v, "alertmanager.alertmanagerSpec.replicas"), 1), plus(req(at(v, "alertmanager.alertmanagerSpec.resources")), CONFIG_RELOADER)),
    deployment("grafana", num(at(v, "grafana.replicas"), 1), req(at(v, "grafana.resources"))),
    deployment("kube-state-metrics", 1, req(at(v, "kube-state-metrics.resources"))),
    daemonSet("node-exporter", req(at(v, "prometheus-node-exporter.resources"))),
    statefulSet("prometheus", num(at(v, "prometheus.prometheusSpec.replicas"), 1), plus(req(at(v, "prometheus.prometheusSpec.resources")), CONFIG_RELOADER)),
  ],
  thanos: (v) => [
    deployment("thanos-query", num(at(v, "query.replicas"), 1), req(at(v, "query.resources"))),
    statefulSet("thanos-store", num(at(v, "storeGateway.replicas"), 1), req(at(v, "storeGateway.resources"))),
    statefulSet("thanos-compact", 1, req(at(v, "compact.resources"))),
  ],
  loki: (v) => [
    ...(["singleBinary", "write", "backend"] as const).map((t) => statefulSet(`loki-${t}`, num(at(v, `${t}.replicas`), 0), req(at(v, `${t}.resources`)))),
    deployment("loki-read", num(at(v, "read.replicas"), 0), req(at(v, "read.resources"))),
    // The chart's nginx gateway (on by default, no requests).
    deployment("loki-gateway", 1, ZERO),
  ].filter((g) => g.replicas > 0),
  tempo: (v) => [statefulSet("tempo", num(v["replicas"], 1), req(at(v, "tempo.resources")))],
  "tempo-distributed": (v) => [
    statefulSet("tempo-ingester", num(at(v, "ingester.replicas"), 1), req(at(v, "ingester.resources"))),
    ...(["distributor", "querier", "queryFrontend"] as const).map((c) => deployment(`tempo-${c}`, num(at(v, `${c}.replicas`), 1), req(at(v, `${c}.resources`)))),
    deployment("tempo-compactor", num(at(v, "compactor.replicas"), 1), req(at(v, "compactor.resources"))),
  ],
  alloy: (v) => [deployment("alloy", num(at(v, "controller.replicas"), 1), plus(req(at(v, "alloy.resources")), ALLOY_RELOADER))],
  "prometheus-yet-another-cloudwatch-exporter": (v) => [deployment("cloudwatch-exporter", 1, req(v["resources"]))],
  "strimzi-kafka-operator": (v) => [deployment("strimzi-cluster-operator", num(v["replicas"], 1), req(v["resources"]))],
  "external-secrets": (v) => [
    deployment("external-secrets", num(v["replicaCount"], 1), req(v["resources"])),
    deployment("external-secrets-webhook", num(at(v, "webhook.replicaCount"), 1), req(at(v, "webhook.resources"))),
    deployment("external-secrets-cert-controller", num(at(v, "certController.replicaCount"), 1), req(at(v, "certController.resources"))),
  ],
  "aws-load-balancer-controller": (v) => [deployment("aws-load-balancer-controller", num(v["replicaCount"], 2), req(v["resources"]))],
  "metrics-server": (v) => [deployment("metrics-server", num(v["replicas"], 1), req(v["resources"]))],
  "cluster-autoscaler": (v) => [deployment("cluster-autoscaler", num(v["replicaCount"], 1), req(v["resources"]))],
  velero: (v) => [deployment("velero", 1, req(v["resources"]))],
  "linkerd-crds": () => [],
  "linkerd2-cni": () => [daemonSet("linkerd-cni", ZERO)],
  // Destination, identity and proxy injector, each with its own proxy (added with the meshed namespaces').
  "linkerd-control-plane": (v) =>
    (["destination", "identity", "proxyInjector"] as const).map((c) => {
      const r = obj(v[`${c}Resources`]);
      const requests = req({ requests: { cpu: obj(r["cpu"])["request"], memory: obj(r["memory"])["request"] } });
      return deployment(`linkerd-${c}`, num(v["controllerReplicas"], 1), requests);
    }),
  kyverno: (v) => [
    deployment("kyverno-admission-controller", num(at(v, "admissionController.replicas"), 1), req(at(v, "admissionController.container.resources"))),
    ...(["backgroundController", "cleanupController", "reportsController"] as const).map((c) => deployment(`kyverno-${c}`, num(at(v, `${c}.replicas`), 1), req(at(v, `${c}.resources`)))),
  ],
  "kyverno-policies": () => [],
  // Dex and notifications are off (infra/delivery/argo-values.ts); the redis-secret-init hook Job runs once and goes.
  "argo-cd": (v) => [
    statefulSet("argocd-application-controller", num(at(v, "controller.replicas"), 1), req(at(v, "controller.resources"))),
    deployment("argocd-server", num(at(v, "server.replicas"), 1), req(at(v, "server.resources"))),
    deployment("argocd-repo-server", num(at(v, "repoServer.replicas"), 1), req(at(v, "repoServer.resources"))),
    deployment("argocd-applicationset-controller", num(at(v, "applicationSet.replicas"), 1), req(at(v, "applicationSet.resources"))),
    deployment("argocd-redis", 1, req(at(v, "redis.resources"))),
  ],
  "argo-rollouts": (v) => [deployment("argo-rollouts", num(at(v, "controller.replicas"), 2), req(at(v, "controller.resources")))],
};

import { resources } from "../config/sections/kube-quantities";
import type { ObservabilityProfile } from "../config/sections/observability";
import { NAMES, URLS } from "./names";

/** Pod metadata kept as Loki labels (few, low-cardinality: namespace, pod, container, app). */
const LABELS: readonly [string, string][] = [
  ["__meta_kubernetes_namespace", "namespace"],
  ["__meta_kubernetes_pod_name", "pod"],
  ["__meta_kubernetes_pod_container_name", "container"],
  ["__meta_kubernetes_pod_label_app_kubernetes_io_name", "app"],
];

/**
 * Alloy pipeline: discover pods, tail their logs through the Kubernetes API (no hostPath mounts),
 * push to Loki. With clustering the pods share the targets instead of each tailing all of them.
 */
export function alloyConfig(clustered: boolean): string {
  const rules = LABELS.map(([source, target]) => `  rule {\n    source_labels = ["${source}"]\n    target_label  = "${target}"\n  }`).join("\n");
  return [
    `discovery.kubernetes "pods" {\n  role = "pod"\n}`,
    `discovery.relabel "pods" {\n  targets = discovery.kubernetes.pods.targets\n${rules}\n}`,
    `loki.source.kubernetes "pods" {\n  targets    = discovery.relabel.pods.output\n  forward_to = [loki.write.default.receiver]\n  clustering {\n    enabled = ${clustered}\n  }\n}`,
    `loki.write "default" {\n  endpoint {\n    url = "${URLS.lokiGateway}/loki/api/v1/push"\n  }\n}`,
  ].join("\n\n");
}

/** Values for the grafana/alloy chart: a Deployment (API-based tailing needs no DaemonSet). */
export function alloyValues(p: ObservabilityProfile): Record<string, unknown> {
  const clustered = p.logAgentReplicas > 1;
  return {
    fullnameOverride: NAMES.alloy,
    crds: { create: false },
    controller: { type: "deployment", replicas: p.logAgentReplicas },
    alloy: {
      configMap: { create: true, content: alloyConfig(clustered) },
      clustering: { enabled: clustered },
      enableReporting: false,
      resources: resources("100m", "256Mi"),
    },
    serviceMonitor: { enabled: true },
  };
}

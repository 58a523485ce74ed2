import { resources } from "../config/sections/kube-quantities";
import type { ObservabilityProfile, TempoMode } from "../config/sections/observability";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { alertmanagerConfig, anyReceiver, RECEIVER_SECRET, type ReceiverSet } from "./alerting";
import { PROMETHEUS_DATASOURCE_UID } from "./dashboards";
import { DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET, NAMES, SERVICE_ACCOUNTS, URLS } from "./names";
import { tempoEndpoints } from "./tempo-values";

/** The Thanos sidecar's bucket and the role it writes with. */
export interface SidecarStorage {
  readonly objstore: Record<string, unknown>;
  readonly roleArn: string;
}

export interface StackValuesInput {
  readonly profile: ObservabilityProfile;
  /** Stack name, set as the `cluster` external label so Thanos and alerts tell stacks apart. */
  readonly cluster: string;
  readonly storageClass: string;
  readonly receivers: ReceiverSet;
  /** Present exactly when the profile turns Thanos on. */
  readonly thanos?: SidecarStorage;
}

const claim = (storageClass: string, gb: number) => ({
  volumeClaimTemplate: { spec: { storageClassName: storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gb}Gi` } } } },
});

/** Grafana datasources beyond the chart's default Prometheus: logs, traces and, with Thanos, long-range metrics. */
export function grafanaDataSources(thanos: boolean, tempoMode: TempoMode): Record<string, unknown>[] {
  const sources: Record<string, unknown>[] = [
    { name: "Loki", uid: "loki", type: "loki", access: "proxy", url: URLS.lokiGateway, jsonData: { maxLines: 1000 } },
    {
      name: "Tempo",
      uid: "tempo",
      type: "tempo",
      access: "proxy",
      url: tempoEndpoints(tempoMode).queryUrl,
      jsonData: { tracesToLogsV2: { datasourceUid: "loki" }, serviceMap: { datasourceUid: PROMETHEUS_DATASOURCE_UID } },
    },
  ];
  if (thanos) sources.push({ name: "Thanos", uid: "thanos", type: "prometheus", access: "proxy", url: URLS.thanosQuery });
  return sources;
}

/**
 * Components EKS runs where Prometheus cannot scrape them (the managed control plane's controller
 * manager, scheduler and etcd; kube-proxy's metrics listen on the node's loopback): their targets would
 * be down forever and their default alerts (KubeControllerManagerDown, KubeSchedulerDown, etcd, KubeProxyDown,
 * critical) would page forever. Each is turned off with its default rule groups (keys of chart 81.x).
 */
export const EKS_UNSCRAPABLE = {
  kubeControllerManager: ["kubeControllerManager"],
  kubeScheduler: ["kubeSchedulerAlerting", "kubeSchedulerRecording"],
  kubeEtcd: ["etcd"],
  kubeProxy: ["kubeProxy"],
} as const;

/** Rule groups for nodes we do not run (no Windows node groups). */
const UNUSED_RULE_GROUPS = ["windows"] as const;

/** Values for kube-prometheus-stack (keys as in its values.yaml and the grafana subchart's). */
export function stackValues(input: StackValuesInput): Record<string, unknown> {
  const { profile: p, storageClass, receivers, thanos } = input;
  return {
    fullnameOverride: NAMES.stack,
    crds: { enabled: true },
    defaultRules: {
      create: true,
      rules: Object.fromEntries([...Object.values(EKS_UNSCRAPABLE).flat(), ...UNUSED_RULE_GROUPS].map((group) => [group, false])),
    },
    ...Object.fromEntries(Object.keys(EKS_UNSCRAPABLE).map((component) => [component, { enabled: false }])),
    prometheusOperator: { resources: resources("100m", "128Mi") },
    alertmanager: {
      config: alertmanagerConfig(receivers),
      podDisruptionBudget: { enabled: p.alertmanagerReplicas > 1 },
      alertmanagerSpec: {
        replicas: p.alertmanagerReplicas,
        resources: resources("50m", "128Mi"),
        // Receiver credentials are files from this Secret, never part of the rendered config.
        secrets: anyReceiver(receivers) ? [RECEIVER_SECRET] : [],
        storage: claim(storageClass, 2),
      },
    },
    grafana: {
      replicas: p.grafanaReplicas,
      admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
      resources: resources("100m", "256Mi"),
      sidecar: {
        dashboards: { enabled: true, label: Object.keys(DASHBOARD_LABEL)[0], labelValue: Object.values(DASHBOARD_LABEL)[0], searchNamespace: "ALL" },
        datasources: { enabled: true, defaultDatasourceEnabled: true, uid: PROMETHEUS_DATASOURCE_UID },
      },
      additionalDataSources: grafanaDataSources(thanos !== undefined, p.tempoMode),
    },
    "kube-state-metrics": { resources: resources("50m", "128Mi") },
    "prometheus-node-exporter": { resources: resources("50m", "64Mi") },
    prometheus: {
      serviceAccount: { create: true, name: SERVICE_ACCOUNTS.prometheus, annotations: thanos === undefined ? {} : irsaAnnotation(thanos.roleArn) },
      thanosService: { enabled: thanos !== undefined },
      podDisruptionBudget: { enabled: p.prometheusReplicas > 1 },
      prometheusSpec: {
        replicas: p.prometheusReplicas,
        retention: p.prometheusRetention,
        resources: resources(p.prometheusCpu, p.prometheusMemory),
        storageSpec: claim(storageClass, p.prometheusStorageGb),
        externalLabels: { cluster: input.cluster },
        // Select every ServiceMonitor, PodMonitor and PrometheusRule in the cluster, not only this release's.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        thanos: thanos === undefined ? {} : { objectStorageConfig: { secret: thanos.objstore } },
      },
    },
  };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A Helm chart pinned to one version: every chart the platform installs is listed in CHARTS. */
export interface ChartSource {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/** Every Helm chart and its pinned version, in one table so upgrades are one reviewed line each. */
export const CHARTS = {
  qdrant: { chart: "qdrant", version: "1.16.3", repo: "https://qdrant.github.io/qdrant-helm" },
  kubePrometheusStack: { chart: "kube-prometheus-stack", version: "81.6.2", repo: "https://prometheus-community.github.io/helm-charts" },
  // Official quay.io/thanos images (the Bitnami chart's images left the free registry in 2025).
  thanos: { chart: "thanos", version: "1.22.0", repo: "https://stevehipwell.github.io/helm-charts" },
  // Loki and Tempo charts moved to grafana-community in 2026.
  loki: { chart: "loki", version: "12.0.1", repo: "https://grafana-community.github.io/helm-charts" },
  tempo: { chart: "tempo", version: "1.26.2", repo: "https://grafana-community.github.io/helm-charts" },
  tempoDistributed: { chart: "tempo-distributed", version: "2.1.2", repo: "https://grafana-community.github.io/helm-charts" },
  alloy: { chart: "alloy", version: "1.10.0", repo: "https://grafana.github.io/helm-charts" },
  cloudwatchExporter: { chart: "prometheus-yet-another-cloudwatch-exporter", version: "0.50.0", repo: "https://prometheus-community.github.io/helm-charts" },
  // Strimzi 1.x serves only the kafka.strimzi.io/v1 API (v1beta2 was removed in 1.0.0).
  strimzi: { chart: "strimzi-kafka-operator", version: "1.2.0", repo: "https://strimzi.io/charts/" },
  externalSecrets: { chart: "external-secrets", version: "2.14.0", repo: "https://charts.external-secrets.io" },
  // 1.17.x installs controller v2.17.x (chart 1.N tracks app v2.N).
  awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "1.17.1", repo: "https://aws.github.io/eks-charts" },
  metricsServer: { chart: "metrics-server", version: "3.13.1", repo: "https://kubernetes-sigs.github.io/metrics-server/" },
  // The image tag is set per EKS minor version (CLUSTER_AUTOSCALER_IMAGE), as the autoscaler requires.
  clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.50.0", repo: "https://kubernetes.github.io/autoscaler" },
  velero: { chart: "velero", version: "11.0.0", repo: "https://vmware-tanzu.github.io/helm-charts" },
  // The Linkerd project ships edge releases only (stable builds are vendor-distributed since 2.15).
  linkerdCrds: { chart: "linkerd-crds", version: "2025.5.5", repo: "https://helm.linkerd.io/edge" },
  linkerdCni: { chart: "linkerd2-cni", version: "2025.5.5", repo: "https://helm.linkerd.io/edge" },
  linkerdControlPlane: { chart: "linkerd-control-plane", version: "2025.5.5", repo: "https://helm.linkerd.io/edge" },
  kyverno: { chart: "kyverno", version: "3.7.2", repo: "https://kyverno.github.io/kyverno/" },
  kyvernoPolicies: { chart: "kyverno-policies", version: "3.7.2", repo: "https://kyverno.github.io/kyverno/" },
} as const satisfies Record<string, ChartSource>;
export type ChartKey = keyof typeof CHARTS;

export interface PinnedChartArgs {
  readonly source: ChartSource;
  readonly namespace: pulumi.Input<string>;
  readonly values: pulumi.Input<Record<string, unknown>>;
}

/**
 * Installs a pinned chart with helm.v4.Chart, so a real preview renders its objects and the
 * policy pack sees them; offline, its inputs (chart, version, values) are what tests assert on.
 */
export function pinnedChart(name: string, args: PinnedChartArgs, opts: pulumi.ComponentResourceOptions): k8s.helm.v4.Chart {
  return new k8s.helm.v4.Chart(
    name,
    {
      chart: args.source.chart,
      version: args.source.version,
      repositoryOpts: { repo: args.source.repo },
      namespace: args.namespace,
      values: args.values,
    },
    opts,
  );
}

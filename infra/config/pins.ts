// THE pins table: every chart version, container image tag, Maven artifact, EKS and Kafka version the
// program uses, each with where it was verified and when. A test fails if the program uses a pin that is
// not here (tests/infra/pins.test.ts); `npm run pins:verify` checks every entry against its upstream.
// Adding or bumping a pin is one entry: the value, the source read, the date.

/** Where a pin was checked, and when (YYYY-MM-DD). */
export interface Verified {
  readonly on: string;
  readonly source: string;
}

export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** HTTPS chart repository (its index.yaml lists the versions). */
  readonly repo: string;
  readonly verified: Verified;
}

/** An image in an OCI registry: `registry/repository:tag`. */
export interface ImagePin {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly verified: Verified;
}

export interface MavenPin {
  readonly group: string;
  readonly artifact: string;
  readonly version: string;
  /** File name suffix after `<artifact>-<version>`, e.g. `-plugin.tar.gz`. */
  readonly file: string;
  readonly verified: Verified;
}

export interface EksVersionPin {
  /** Last day of EKS standard support: the policy refuses the version after it. */
  readonly standardSupportEnds: string;
  /** Cluster Autoscaler release for this minor (the autoscaler must match the cluster's minor). */
  readonly clusterAutoscaler: string;
  readonly verified: Verified;
}

const ON = "2026-12-01";
const v = (source: string): Verified => ({ on: ON, source });
const ghPages = (repo: string, generated: string) => v(`github.com/${repo} gh-pages index.yaml (generated ${generated})`);
const grafanaCommunity = ghPages("grafana-community/helm-charts", "2026-08-20");
const kyverno = ghPages("kyverno/kyverno", "2026-08-20");
const linkerdEdge = v("github.com/linkerd/linkerd2 tag edge-25.5.5; bin/compute-edge-version sets every chart to 2025.5.5");

export const CHART_PINS = {
  qdrant: { chart: "qdrant", version: "1.16.3", repo: "https://qdrant.github.io/qdrant-helm", verified: ghPages("qdrant/qdrant-helm", "2026-08-13") },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "81.6.2",
    repo: "https://prometheus-community.github.io/helm-charts",
    verified: v("github.com/prometheus-community/helm-charts tag kube-prometheus-stack-81.6.2 (2026-02-11; chart-releaser tags every published version)"),
  },
  // Official quay.io/thanos images (the Bitnami chart's images left the free registry in 2025).
  thanos: { chart: "thanos", version: "1.22.0", repo: "https://stevehipwell.github.io/helm-charts", verified: ghPages("stevehipwell/helm-charts", "2026-08-14") },
  // Loki and Tempo charts moved to grafana-community in 2026. 12.0.1 was never published (12.0.0, then 13.0.0).
  loki: { chart: "loki", version: "12.0.0", repo: "https://grafana-community.github.io/helm-charts", verified: grafanaCommunity },
  tempo: { chart: "tempo", version: "1.26.2", repo: "https://grafana-community.github.io/helm-charts", verified: grafanaCommunity },
  tempoDistributed: { chart: "tempo-distributed", version: "2.1.2", repo: "https://grafana-community.github.io/helm-charts", verified: grafanaCommunity },
  alloy: { chart: "alloy", version: "1.10.0", repo: "https://grafana.github.io/helm-charts", verified: ghPages("grafana/helm-charts", "2026-08-20") },
  // 0.50.0 was never published; 0.47.0 is the newest release.
  cloudwatchExporter: {
    chart: "prometheus-yet-another-cloudwatch-exporter",
    version: "0.47.0",
    repo: "https://prometheus-community.github.io/helm-charts",
    verified: v("github.com/prometheus-community/helm-charts tag prometheus-yet-another-cloudwatch-exporter-0.47.0 (2026-07-03), the newest"),
  },
  // Strimzi 1.x serves only the kafka.strimzi.io/v1 API (v1beta2 was removed in 1.0.0).
  strimzi: { chart: "strimzi-kafka-operator", version: "1.2.0", repo: "https://strimzi.io/charts/", verified: v("github.com/strimzi/strimzi.github.io charts/index.yaml (generated 2026-08-20)") },
  // 2.14.0 was never published: the index ends at 2.9.0.
  externalSecrets: { chart: "external-secrets", version: "2.9.0", repo: "https://charts.external-secrets.io", verified: ghPages("external-secrets/external-secrets", "2026-08-08") },
  // 1.17.x installs controller v2.17.x (chart 1.N tracks app v2.N).
  awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "1.17.1", repo: "https://aws.github.io/eks-charts", verified: ghPages("aws/eks-charts", "2026-08-03") },
  metricsServer: { chart: "metrics-server", version: "3.13.1", repo: "https://kubernetes-sigs.github.io/metrics-server/", verified: ghPages("kubernetes-sigs/metrics-server", "2026-06-11") },
  // The image tag is set per EKS minor version (EKS_VERSION_PINS), as the autoscaler requires.
  clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.59.0", repo: "https://kubernetes.github.io/autoscaler", verified: ghPages("kubernetes/autoscaler", "2026-07-26") },
  velero: { chart: "velero", version: "11.0.0", repo: "https://vmware-tanzu.github.io/helm-charts", verified: ghPages("vmware-tanzu/helm-charts", "2026-06-25") },
  // The Linkerd project ships edge releases only (stable builds are vendor-distributed since 2.15).
  linkerdCrds: { chart: "linkerd-crds", version: "2025.5.5", repo: "https://helm.linkerd.io/edge", verified: linkerdEdge },
  linkerdCni: { chart: "linkerd2-cni", version: "2025.5.5", repo: "https://helm.linkerd.io/edge", verified: linkerdEdge },
  linkerdControlPlane: { chart: "linkerd-control-plane", version: "2025.5.5", repo: "https://helm.linkerd.io/edge", verified: linkerdEdge },
  kyverno: { chart: "kyverno", version: "3.7.2", repo: "https://kyverno.github.io/kyverno/", verified: kyverno },
  kyvernoPolicies: { chart: "kyverno-policies", version: "3.7.2", repo: "https://kyverno.github.io/kyverno/", verified: kyverno },
  // The newest of each (apps.delivery argocd): argo-cd 10.1.1 installs Argo CD v3.4.4, argo-rollouts 2.41.0 Argo Rollouts v1.9.0.
  argoCd: { chart: "argo-cd", version: "10.1.1", repo: "https://argoproj.github.io/argo-helm", verified: ghPages("argoproj/argo-helm", "2026-07-02") },
  argoRollouts: { chart: "argo-rollouts", version: "2.41.0", repo: "https://argoproj.github.io/argo-helm", verified: ghPages("argoproj/argo-helm", "2026-07-02") },
} as const satisfies Record<string, ChartPin>;

/** Kafka versions the pinned Strimzi operator runs (`supported: true` in its kafka-versions.yaml). */
export const STRIMZI_KAFKA_VERSION_PINS = {
  versions: ["4.2.0", "4.2.1", "4.3.0", "4.3.1"],
  verified: v("github.com/strimzi/strimzi-kafka-operator tag 1.2.0 kafka-versions.yaml"),
} as const;

/** MSK's Kafka versions we allow (MSK names them `<major>.<minor>.x`). */
export const MSK_KAFKA_VERSION_PINS = {
  versions: ["3.9.x"],
  verified: v("docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html (3.9.x released 2025-04-21, no end of support)"),
} as const;

export const IMAGE_PINS = {
  // 3.3.3 was never published: the tags end at 3.3.1.
  apicurioRegistry: { registry: "quay.io", repository: "apicurio/apicurio-registry", tag: "3.3.1", verified: v("github.com/Apicurio/apicurio-registry release tags (newest 3.3.1)") },
  // Plugin v1.13.x pairs with Velero 1.17 (chart 11.0.0's appVersion 1.17.0).
  veleroAwsPlugin: {
    registry: "docker.io",
    repository: "velero/velero-plugin-for-aws",
    tag: "v1.13.0",
    verified: v("github.com/vmware-tanzu/velero-plugin-for-aws tag v1.13.0; README compatibility table v1.13.x <-> Velero v1.17.x"),
  },
} as const satisfies Record<string, ImagePin>;

/** Strimzi's Kafka image (the MSK admin job's Kafka CLI): one tag per operator release and Kafka version. */
export function strimziKafkaImage(kafkaVersion: string): ImagePin {
  return {
    registry: "quay.io",
    repository: "strimzi/kafka",
    tag: `${CHART_PINS.strimzi.version}-kafka-${kafkaVersion}`,
    verified: STRIMZI_KAFKA_VERSION_PINS.verified,
  };
}

export const MAVEN_PINS = {
  debeziumPostgres: {
    group: "io.debezium",
    artifact: "debezium-connector-postgres",
    version: "3.2.0.Final",
    file: "-plugin.tar.gz",
    verified: v("Maven Central (mvn dependency:get io.debezium:debezium-connector-postgres:3.2.0.Final:tar.gz:plugin)"),
  },
  mskIamAuth: {
    group: "software.amazon.msk",
    artifact: "aws-msk-iam-auth",
    version: "2.3.5",
    file: "-all.jar",
    verified: v("Maven Central (mvn dependency:get software.amazon.msk:aws-msk-iam-auth:2.3.5:jar:all); github.com/aws/aws-msk-iam-auth tag v2.3.5"),
  },
} as const satisfies Record<string, MavenPin>;

export function mavenUrl(p: Pick<MavenPin, "group" | "artifact" | "version" | "file">): string {
  return `https://repo1.maven.org/maven2/${p.group.replace(/\./g, "/")}/${p.artifact}/${p.version}/${p.artifact}-${p.version}${p.file}`;
}

const eksCalendar = "docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html release calendar; kubernetes-versions-standard.html lists 1.36";
const autoscaler = (tag: string) => `github.com/kubernetes/autoscaler tag cluster-autoscaler-${tag.slice(1)} (2026-07-22)`;

/**
 * EKS minors in standard support today, newest last, with the Cluster Autoscaler release for each.
 * 1.34 leaves standard support on 2026-12-02 and 1.31-1.33 already have: none of them is allowed.
 */
export const EKS_VERSION_PINS = {
  "1.35": { standardSupportEnds: "2027-03-27", clusterAutoscaler: "v1.35.2", verified: v(`${eksCalendar}; ${autoscaler("v1.35.2")}`) },
  "1.36": { standardSupportEnds: "2027-08-02", clusterAutoscaler: "v1.36.1", verified: v(`${eksCalendar} (EKS release 2026-06-02); ${autoscaler("v1.36.1")}`) },
} as const satisfies Record<string, EksVersionPin>;

export type EksVersion = keyof typeof EKS_VERSION_PINS;
export const EKS_VERSIONS = Object.keys(EKS_VERSION_PINS) as EksVersion[];

/** Where Cluster Autoscaler images come from (the chart's default repository, set explicitly so the pin is whole). */
export const CLUSTER_AUTOSCALER_REPOSITORY = { registry: "registry.k8s.io", repository: "autoscaling/cluster-autoscaler" } as const;

/** Every image pin the program can use, across EKS and Kafka versions: what pins:verify checks. */
export function allImagePins(): ImagePin[] {
  return [
    ...Object.values(IMAGE_PINS),
    ...STRIMZI_KAFKA_VERSION_PINS.versions.map(strimziKafkaImage),
    ...Object.values(EKS_VERSION_PINS).map((p) => ({ ...CLUSTER_AUTOSCALER_REPOSITORY, tag: p.clusterAutoscaler, verified: p.verified })),
  ];
}

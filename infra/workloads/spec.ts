import type * as k8s from "@pulumi/kubernetes";
import type { Tier } from "../config/profile";
import type { AppsProfile } from "../config/sections/apps";
import { resources, type Resources } from "../config/sections/kube-quantities";
import { NAMESPACES } from "../contracts";
import { APP_ACCESS, type KafkaApp } from "../kafka/access";
import { TOPICS, type TopicKey } from "../kafka/topics";
import { PUBLIC_API_LABEL, PUBLIC_API_PORT_NAME, toPolicySpec, type Allow, type NetworkPolicySpec } from "../security/network-policies";
import { QDRANT_HTTP_PORT, QDRANT_NAME } from "../services/qdrant/values";
import { CATALOG, type CatalogEntry, type DataNeed, type ServiceEntry, WORKLOAD_NAMES, type WorkloadName } from "./catalog";
import type { EnvVar } from "./env";

/** Pure Kubernetes shapes of one app's workload, so sizing and security are unit-tested without mocks. */

/** Every app runs as this uid/gid: the `node` user of the node:24-slim image (see Dockerfile). */
export const APP_UID = 1000;
/** Writable scratch for a read-only root filesystem. */
export const TMP_MOUNT = "/tmp";
export const ZONE_KEY = "topology.kubernetes.io/zone";
export const HOST_KEY = "kubernetes.io/hostname";

export function selectorLabels(app: WorkloadName): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "gamemetrics" };
}

export function podLabels(app: WorkloadName, entry: CatalogEntry): Record<string, string> {
  return { ...selectorLabels(app), ...(entry.kind === "service" && entry.public ? PUBLIC_API_LABEL : {}) };
}

export function appResources(profile: Pick<AppsProfile, "cpu" | "memory">): Resources {
  return resources(profile.cpu, profile.memory);
}

/** Fixed replicas, or the HPA's bounds; null for jobs. */
export type Scaling = { readonly kind: "fixed"; readonly replicas: number } | { readonly kind: "hpa"; readonly min: number; readonly max: number; readonly targetCpuPercent: number };

/**
 * `consumerCap`: partitions of the topics the app consumes (null when it consumes none). A group
 * member beyond the partition count gets no partition, so the HPA never scales past it.
 */
export function scaling(entry: ServiceEntry, profile: AppsProfile, consumerCap: number | null = null): Scaling {
  if (!entry.autoscale) return { kind: "fixed", replicas: profile.replicas };
  const max = consumerCap === null ? profile.maxReplicas : Math.min(profile.maxReplicas, consumerCap);
  return { kind: "hpa", min: Math.min(profile.minReplicas, max), max, targetCpuPercent: profile.targetCpuPercent };
}

/** The most partitions among the topics an app consumes: its group's useful parallelism. */
export function consumerCap(app: WorkloadName, tier: Tier): number | null {
  if (!(app in APP_ACCESS)) return null;
  const reads: readonly TopicKey[] = APP_ACCESS[app as KafkaApp].read;
  return reads.length === 0 ? null : Math.max(...reads.map((k) => TOPICS[k].sizing[tier].partitions));
}

export const minReplicas = (s: Scaling): number => (s.kind === "hpa" ? s.min : s.replicas);

/** A budget only where there is something to keep up while a node drains: one pod may go at a time. */
export function disruptionBudget(s: Scaling): { maxUnavailable: number } | null {
  return minReplicas(s) >= 2 ? { maxUnavailable: 1 } : null;
}

/**
 * Spread over zones when the workloads span more than one (a hard rule: losing an AZ must not take
 * every replica), and over nodes as a preference.
 */
export function topologySpread(app: WorkloadName, workloadAzCount: number, replicas: number): Record<string, unknown>[] {
  if (replicas < 2) return [];
  const labelSelector = { matchLabels: selectorLabels(app) };
  return [
    ...(workloadAzCount > 1 ? [{ maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector }] : []),
    { maxSkew: 1, topologyKey: HOST_KEY, whenUnsatisfiable: "ScheduleAnyway", labelSelector },
  ];
}

export const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: APP_UID,
  runAsGroup: APP_UID,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
} as const;

export const POD_SECURITY = { runAsNonRoot: true, runAsUser: APP_UID, runAsGroup: APP_UID, fsGroup: APP_UID, seccompProfile: { type: "RuntimeDefault" } } as const;

const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path, port: PUBLIC_API_PORT_NAME },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 2,
});

export interface PodInput {
  readonly app: WorkloadName;
  readonly entry: CatalogEntry;
  readonly image: string;
  readonly env: readonly EnvVar[];
  readonly resources: Resources;
  readonly serviceAccountName: string;
  readonly topologySpread: readonly Record<string, unknown>[];
  /** Secret holding the Kafka CA, mounted at `mountPath`; null when the brokers use a public CA. */
  readonly kafkaCa: { readonly secretName: string; readonly mountPath: string } | null;
}

/** The pod template: restricted pod security, probes and the metrics port for services. */
export function podTemplate(p: PodInput): Record<string, unknown> {
  const service = p.entry.kind === "service" ? p.entry : undefined;
  const volumes = [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, ...(p.kafkaCa === null ? [] : [{ name: "kafka-ca", secret: { secretName: p.kafkaCa.secretName } }])];
  const mounts = [{ name: "tmp", mountPath: TMP_MOUNT }, ...(p.kafkaCa === null ? [] : [{ name: "kafka-ca", mountPath: p.kafkaCa.mountPath, readOnly: true }])];
  const container = {
    name: p.app,
    image: p.image,
    ...(p.entry.command === undefined ? {} : { command: [...p.entry.command] }),
    env: p.env,
    resources: p.resources,
    securityContext: CONTAINER_SECURITY,
    volumeMounts: mounts,
    ...(service === undefined
      ? {}
      : {
          ports: [{ name: PUBLIC_API_PORT_NAME, containerPort: service.listener.port, protocol: "TCP" }],
          startupProbe: probe("/healthz", 2, 30),
          livenessProbe: probe("/healthz", 10, 3),
          readinessProbe: probe("/readyz", 5, 2),
        }),
  };
  return {
    metadata: { labels: podLabels(p.app, p.entry) },
    spec: {
      serviceAccountName: p.serviceAccountName,
      // The apps never call the Kubernetes API; IRSA's web identity token is projected separately.
      automountServiceAccountToken: false,
      securityContext: POD_SECURITY,
      // Services drain in-flight work on SIGTERM (apps/shared/service.ts).
      terminationGracePeriodSeconds: 30,
      ...(service === undefined ? { restartPolicy: "OnFailure" } : {}),
      ...(p.topologySpread.length > 0 ? { topologySpreadConstraints: p.topologySpread } : {}),
      containers: [container],
      volumes,
    },
  };
}

export function hpaSpec(app: WorkloadName, s: Extract<Scaling, { kind: "hpa" }>): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: app },
    minReplicas: s.min,
    maxReplicas: s.max,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.targetCpuPercent } } }],
  };
}

/** The pods of the apps namespace as a network peer. */
const appPeer = (app: WorkloadName) => ({ namespace: "apps" as const, pods: selectorLabels(app) });

/**
 * Per-app allows on top of the apps namespace's default-deny: for every service another app calls,
 * ingress to its port from the callers and egress from the callers to it.
 */
export function callAllows(catalog: Readonly<Record<WorkloadName, CatalogEntry>> = CATALOG): Allow[] {
  return WORKLOAD_NAMES.flatMap((app) => {
    const entry = catalog[app];
    if (entry.kind !== "service" || entry.calledBy.length === 0) return [];
    const ports = [{ port: entry.listener.port, protocol: "TCP" as const }];
    return [
      { name: `allow-${app}-from-callers`, direction: "ingress" as const, pods: selectorLabels(app), peers: entry.calledBy.map(appPeer), ports },
      ...entry.calledBy.map((caller) => ({ name: `allow-${caller}-to-${app}`, direction: "egress" as const, pods: selectorLabels(caller), peers: [appPeer(app)], ports })),
    ];
  });
}

/** Egress to the internet on the ports an app declares (beyond the HTTPS the namespace baseline allows), for its pods only. */
export function internetEgressAllows(catalog: Readonly<Record<WorkloadName, CatalogEntry>> = CATALOG): Allow[] {
  return WORKLOAD_NAMES.flatMap((app) => {
    const ports = catalog[app].internetEgress ?? [];
    if (ports.length === 0) return [];
    return [{ name: `allow-${app}-internet-egress`, direction: "egress" as const, pods: selectorLabels(app), peers: [{ cidr: "0.0.0.0/0" }], ports: ports.map((p) => ({ port: p.port, protocol: "TCP" as const })) }];
  });
}

export function callPolicies(catalog?: Readonly<Record<WorkloadName, CatalogEntry>>): { name: string; namespace: string; spec: NetworkPolicySpec }[] {
  return [...callAllows(catalog), ...internetEgressAllows(catalog)].map((a) => ({ name: a.name, namespace: NAMESPACES.apps, spec: toPolicySpec(a) }));
}

/** The data allows as NetworkPolicies: egress in the apps namespace, Qdrant's ingress in the data namespace. */
export function dataPolicies(vpcCidr: string, catalog?: Readonly<Record<WorkloadName, CatalogEntry>>): { name: string; namespace: string; spec: NetworkPolicySpec }[] {
  const { apps } = dataAllows(vpcCidr, catalog);
  return [...apps.map((a) => ({ name: a.name, namespace: NAMESPACES.apps, spec: toPolicySpec(a) })), ...dataNamespacePolicies(catalog)];
}

/** Qdrant's ingress from the workloads that use it, in the data namespace (Pulumi's under either delivery). */
export function dataNamespacePolicies(catalog: Readonly<Record<WorkloadName, CatalogEntry>> = CATALOG): { name: string; namespace: string; spec: NetworkPolicySpec }[] {
  return dataIngressAllows(catalog).map((a) => ({ name: a.name, namespace: NAMESPACES.data, spec: toPolicySpec(a) }));
}

/** The Qdrant chart's pods (selector label of the release, as its PodMonitor selects them). */
export const QDRANT_PODS = { "app.kubernetes.io/name": QDRANT_NAME } as const;

/** Where each data service is reached from the apps namespace. */
const DATA_PEERS: Readonly<Record<DataNeed, { readonly ports: readonly number[]; readonly peer: (vpcCidr: string) => Allow["peers"][number] }>> = {
  // RDS and ElastiCache sit in the VPC's private subnets, outside the cluster.
  postgres: { ports: [5432], peer: (vpcCidr) => ({ cidr: vpcCidr }) },
  redis: { ports: [6379], peer: (vpcCidr) => ({ cidr: vpcCidr }) },
  // REST only: @qdrant/js-client-rest never uses the gRPC port (6334).
  qdrant: { ports: [QDRANT_HTTP_PORT], peer: () => ({ namespace: "data", pods: QDRANT_PODS }) },
};

/**
 * Per-workload egress to exactly the data services its catalog entry names (no app reaches a store it
 * does not use), and Qdrant's ingress in the data namespace from exactly those workloads.
 */
export function dataAllows(vpcCidr: string, catalog: Readonly<Record<WorkloadName, CatalogEntry>> = CATALOG): { apps: Allow[]; data: Allow[] } {
  const tcp = (ports: readonly number[]) => ports.map((port) => ({ port, protocol: "TCP" as const }));
  const apps = WORKLOAD_NAMES.flatMap((w) =>
    catalog[w].data.map((need) => ({ name: `allow-${w}-to-${need}`, direction: "egress" as const, pods: selectorLabels(w), peers: [DATA_PEERS[need].peer(vpcCidr)], ports: tcp(DATA_PEERS[need].ports) })),
  );
  return { apps, data: dataIngressAllows(catalog) };
}

/** Qdrant's ingress in the data namespace from exactly the workloads that use it. */
function dataIngressAllows(catalog: Readonly<Record<WorkloadName, CatalogEntry>>): Allow[] {
  const qdrantUsers = WORKLOAD_NAMES.filter((w) => catalog[w].data.includes("qdrant"));
  const ports = DATA_PEERS.qdrant.ports.map((port) => ({ port, protocol: "TCP" as const }));
  return qdrantUsers.length === 0 ? [] : [{ name: "allow-qdrant-from-apps", direction: "ingress", pods: QDRANT_PODS, peers: qdrantUsers.map(appPeer), ports }];
}

import { NAMESPACE_POLICIES, namespaceName, type PlatformNamespaceKey, platformNamespaceKeys } from "./namespaces";

/**
 * Default-deny plus explicit allows, as a typed table turned into NetworkPolicy specs by pure functions.
 * Enforced by the VPC CNI's network policy agent (the cluster enables it).
 */

export type Labels = Readonly<Record<string, string>>;

/** Who is on the other side of an allow. */
export type Peer =
  | { readonly namespace: PlatformNamespaceKey | "kube-system"; readonly pods?: Labels }
  /** Every namespace of the cluster. */
  | { readonly anyNamespace: true }
  | { readonly cidr: string }
  | { readonly sameNamespace: true };

export interface Port {
  /** A number, or a container port name (matches the port of that name in each selected pod). */
  readonly port: number | string;
  readonly protocol?: "TCP" | "UDP";
}

export interface Allow {
  readonly name: string;
  readonly direction: "ingress" | "egress";
  readonly peers: readonly Peer[];
  /** Absent: every port. */
  readonly ports?: readonly Port[];
  /** Pods of this namespace the allow applies to; absent: all. */
  readonly pods?: Labels;
}

export interface PolicyContext {
  readonly vpcCidr: string;
  readonly meshEnabled: boolean;
  /** MSK brokers live in the VPC: only then do the namespaces that talk to Kafka get the MSK ports. */
  readonly kafkaMode: "strimzi" | "msk";
}

/** Label and container port name the workload component puts on public API pods. */
export const PUBLIC_API_LABEL = { "gamemetrics.io/public-api": "true" } as const;
export const PUBLIC_API_PORT_NAME = "http";
export const PROMETHEUS_PODS: Labels = { "app.kubernetes.io/name": "prometheus" };
const KUBE_DNS: Labels = { "k8s-app": "kube-dns" };
const STRIMZI_CONNECT: Labels = { "strimzi.io/kind": "KafkaConnect" };
/** The Argo Rollouts controller's pods (its chart's selector label): they run the canary analyses' queries. */
export const ROLLOUTS_PODS: Labels = { "app.kubernetes.io/name": "argo-rollouts" };

export const PORTS = {
  /** Strimzi listeners (SCRAM over TLS) and the Apicurio schema registry's HTTP API. */
  kafka: [9093, 9094, 8080],
  /** MSK in the VPC: SASL/SCRAM over TLS (apps, registry, Connect) and IAM over TLS (the admin job only). */
  mskScram: [9096],
  mskIam: [9098],
  otlp: [4317, 4318],
  /** Node IPs scraped by Prometheus: node-exporter (hostNetwork) and the kubelet. */
  nodeMetrics: [9100, 10250],

  /** Linkerd identity, destination and policy controllers, called by every proxy. */
  meshControl: [8080, 8086, 8090],
  meshProxyInbound: [4143],
  /** Prometheus and Thanos Query HTTP APIs, which canary analyses query. */
  metricsQuery: [9090, 10902],
} as const;

const tcp = (ports: readonly number[]): Port[] => ports.map((port) => ({ port, protocol: "TCP" }));
const SAME: Peer = { sameNamespace: true };

function common(): Allow[] {
  return [
    {
      name: "allow-dns",
      direction: "egress",
      peers: [{ namespace: "kube-system", pods: KUBE_DNS }],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    },
    { name: "allow-prometheus-scrape", direction: "ingress", peers: [{ namespace: "observability", pods: PROMETHEUS_PODS }] },
    // STS (IRSA), S3, Secrets Manager and the Kubernetes API are all HTTPS; nothing else leaves by default.
    { name: "allow-https-egress", direction: "egress", peers: [{ cidr: "0.0.0.0/0" }], ports: tcp([443]) },
  ];
}

const withinNamespace = (): Allow[] => [
  { name: "allow-same-namespace-ingress", direction: "ingress", peers: [SAME] },
  { name: "allow-same-namespace-egress", direction: "egress", peers: [SAME] },
];

/**
 * Admission webhooks the API server (its control-plane ENIs in the VPC) calls, per namespace, as the
 * pinned charts serve them with our values: AWS Load Balancer Controller 9443 and External Secrets 10250
 * (platform), Kyverno 9443 (policy), Linkerd's proxy injector and service-profile validator 8443 and
 * policy validator 9443 (mesh), the Prometheus Operator's admission webhook 10250 (observability).
 */
export const WEBHOOK_PORTS: Readonly<Partial<Record<PlatformNamespaceKey, readonly number[]>>> = {
  platform: [9443, 10250],
  policy: [9443],
  mesh: [8443, 9443],
  observability: [10250],
};

function webhooks(key: PlatformNamespaceKey, ctx: PolicyContext): Allow[] {
  const ports = WEBHOOK_PORTS[key];
  return ports === undefined ? [] : [{ name: "allow-webhooks", direction: "ingress", peers: [{ cidr: ctx.vpcCidr }], ports: tcp(ports) }];
}

/** The MSK pods that talk to the brokers, by port; nothing in Strimzi mode. */
const MSK_ADMIN: Labels = { "app.kubernetes.io/name": "msk-admin" };
function mskAllows(key: PlatformNamespaceKey, ctx: PolicyContext): Allow[] {
  if (ctx.kafkaMode !== "msk") return [];
  const scram: Allow = { name: "allow-msk", direction: "egress", peers: [{ cidr: ctx.vpcCidr }], ports: tcp(PORTS.mskScram) };
  if (key === "apps") return [scram];
  if (key === "kafka") return [scram, { name: "allow-msk-admin", direction: "egress", pods: MSK_ADMIN, peers: [{ cidr: ctx.vpcCidr }], ports: tcp(PORTS.mskIam) }];
  return [];
}

/** The allows specific to each namespace, beyond the common ones. */
const SPECIFIC: Readonly<Record<PlatformNamespaceKey, (ctx: PolicyContext) => Allow[]>> = {
  apps: (ctx) => [
    { name: "allow-kafka", direction: "egress", peers: [{ namespace: "kafka" }], ports: tcp(PORTS.kafka) },
    // RDS (5432), ElastiCache (6379) and Qdrant are admitted per workload from the app catalog's data
    // needs (infra/workloads/spec.ts dataAllows), not to the whole namespace.
    { name: "allow-otlp", direction: "egress", peers: [{ namespace: "observability" }], ports: tcp(PORTS.otlp) },
    // ALB targets are pod IPs (target-type ip); the load balancer's ENIs sit in the VPC's public subnets.
    {
      name: "allow-load-balancer",
      direction: "ingress",
      pods: PUBLIC_API_LABEL,
      peers: [{ cidr: ctx.vpcCidr }],
      ports: [{ port: PUBLIC_API_PORT_NAME, protocol: "TCP" }],
    },
  ],
  kafka: (ctx) => [
    ...withinNamespace(),
    { name: "allow-apps", direction: "ingress", peers: [{ namespace: "apps" }], ports: tcp(PORTS.kafka) },
    // CDC: the Debezium connectors of Kafka Connect read PostgreSQL's WAL.
    { name: "allow-connect-postgres", direction: "egress", pods: STRIMZI_CONNECT, peers: [{ cidr: ctx.vpcCidr }], ports: tcp([5432]) },
  ],
  // Qdrant's ingress from the workloads that use it is per workload (infra/workloads/spec.ts dataAllows).
  data: () => [...withinNamespace()],
  observability: (ctx) => [
    ...withinNamespace(),
    { name: "allow-scrape-pods", direction: "egress", pods: PROMETHEUS_PODS, peers: [{ anyNamespace: true }] },
    { name: "allow-scrape-vpc", direction: "egress", pods: PROMETHEUS_PODS, peers: [{ cidr: ctx.vpcCidr }], ports: tcp([...PORTS.nodeMetrics, 5432, 6379]) },
    { name: "allow-otlp", direction: "ingress", peers: [{ namespace: "apps" }], ports: tcp(PORTS.otlp) },
    { name: "allow-canary-analysis", direction: "ingress", peers: [{ namespace: "gitops", pods: ROLLOUTS_PODS }], ports: tcp(PORTS.metricsQuery) },
  ],
  platform: () => withinNamespace(),
  policy: () => withinNamespace(),
  mesh: () => [
    ...withinNamespace(),
    { name: "allow-proxies", direction: "ingress", peers: [{ anyNamespace: true }], ports: tcp(PORTS.meshControl) },
  ],
  // Argo CD's components talk among themselves; git, the Kubernetes API and STS are HTTPS (common).
  gitops: () => [
    ...withinNamespace(),
    { name: "allow-canary-analysis", direction: "egress", pods: ROLLOUTS_PODS, peers: [{ namespace: "observability" }], ports: tcp(PORTS.metricsQuery) },
  ],
  // Only a hostNetwork DaemonSet runs here, which NetworkPolicy does not select; default-deny keeps it that way.
  meshCni: () => [],
};

/** Meshed namespaces reach the Linkerd control plane, and accept proxy-to-proxy traffic from each other. */
function meshAllows(key: PlatformNamespaceKey, ctx: PolicyContext): Allow[] {
  if (!ctx.meshEnabled || !NAMESPACE_POLICIES[key].meshed) return [];
  const meshed = platformNamespaceKeys(true).filter((k) => NAMESPACE_POLICIES[k].meshed);
  return [
    { name: "allow-mesh-control", direction: "egress", peers: [{ namespace: "mesh" }], ports: tcp(PORTS.meshControl) },
    { name: "allow-mesh-proxies", direction: "ingress", peers: meshed.map((namespace) => ({ namespace })), ports: tcp(PORTS.meshProxyInbound) },
  ];
}

/** Every allow of one namespace. */
export function namespaceAllows(key: PlatformNamespaceKey, ctx: PolicyContext): Allow[] {
  return [...common(), ...SPECIFIC[key](ctx), ...webhooks(key, ctx), ...mskAllows(key, ctx), ...meshAllows(key, ctx)];
}

// NetworkPolicy spec shapes (networking.k8s.io/v1), plain data so the functions stay pure.
export interface PolicyPeer {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
export interface PolicyRule {
  ports?: { port: number | string; protocol: string }[];
  from?: PolicyPeer[];
  to?: PolicyPeer[];
}
export interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: ("Ingress" | "Egress")[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

export function toPeer(peer: Peer): PolicyPeer {
  if ("cidr" in peer) return { ipBlock: { cidr: peer.cidr } };
  if ("sameNamespace" in peer) return { podSelector: {} };
  if ("anyNamespace" in peer) return { namespaceSelector: {} };
  const name = peer.namespace === "kube-system" ? "kube-system" : namespaceName(peer.namespace);
  const selector: PolicyPeer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } };
  return peer.pods === undefined ? selector : { ...selector, podSelector: { matchLabels: { ...peer.pods } } };
}

export function toPolicySpec(allow: Allow): NetworkPolicySpec {
  const rule: PolicyRule = {};
  if (allow.ports !== undefined) rule.ports = allow.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
  const peers = allow.peers.map(toPeer);
  const podSelector = allow.pods === undefined ? {} : { matchLabels: { ...allow.pods } };
  return allow.direction === "ingress"
    ? { podSelector, policyTypes: ["Ingress"], ingress: [{ ...rule, from: peers }] }
    : { podSelector, policyTypes: ["Egress"], egress: [{ ...rule, to: peers }] };
}

/** Selects every pod and allows nothing: traffic is whatever the other policies of the namespace allow. */
export const DEFAULT_DENY: NetworkPolicySpec = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

export interface NamedPolicy {
  readonly namespaceKey: PlatformNamespaceKey;
  readonly name: string;
  readonly spec: NetworkPolicySpec;
}

/** Every NetworkPolicy the baseline creates: default-deny first, then the allows, per namespace. */
export function networkPolicies(ctx: PolicyContext): NamedPolicy[] {
  return platformNamespaceKeys(ctx.meshEnabled).flatMap((key) => [
    { namespaceKey: key, name: "default-deny", spec: DEFAULT_DENY },
    ...namespaceAllows(key, ctx).map((a) => ({ namespaceKey: key, name: a.name, spec: toPolicySpec(a) })),
  ]);
}

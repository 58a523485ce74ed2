import { NAMESPACES } from "../contracts";

/**
 * Release full names and service accounts. Fixed with fullnameOverride so in-cluster URLs
 * (datasources, Thanos discovery) and the IRSA trust (which pins the service account) are known here.
 */
export const NAMES = {
  stack: "kps",
  thanos: "thanos",
  loki: "loki",
  tempo: "tempo",
  cloudwatch: "cloudwatch-exporter",
  alloy: "alloy",
} as const;

export const SERVICE_ACCOUNTS = {
  prometheus: "prometheus",
  thanosStore: "thanos-store",
  thanosCompact: "thanos-compact",
  loki: "loki",
  tempo: "tempo",
  cloudwatch: "cloudwatch-exporter",
} as const;

/** Key prefixes in the logs bucket, one per store, each role scoped to its own. */
export const LOG_PREFIXES = { thanos: "thanos", loki: "loki", tempo: "tempo" } as const;

const svc = (name: string, port: number) => `http://${name}.${NAMESPACES.observability}.svc.cluster.local:${port}`;

export const URLS = {
  /** kube-prometheus-stack's Prometheus (its HA pair behind one Service). */
  prometheus: svc(`${NAMES.stack}-prometheus`, 9090),
  thanosQuery: svc(`${NAMES.thanos}-query`, 10902),
  lokiGateway: svc(`${NAMES.loki}-gateway`, 80),
  /** DNS SRV record of the sidecars' headless service, for Thanos Query's endpoint discovery. */
  thanosSidecars: `dnssrv+_grpc._tcp.${NAMES.stack}-thanos-discovery.${NAMESPACES.observability}.svc.cluster.local`,
} as const;

/** The Secret with Grafana's admin credentials (user and @pulumi/random password). */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/** ConfigMaps with this label are loaded by the Grafana dashboard sidecar. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

import { NAMESPACES } from "../contracts";
import { URLS } from "../observability/names";
import { PROMETHEUS_PODS, toPolicySpec, type Allow, type NetworkPolicySpec } from "../security/network-policies";
import { CATALOG, type CatalogEntry, WORKLOAD_NAMES, type WorkloadName } from "./catalog";
import { selectorLabels } from "./spec";

/**
 * The workloads that read Prometheus's query API (catalog `queriesPrometheus`): egress from their pods to
 * the Prometheus pods on its port, and the Prometheus pods' ingress from exactly them. Nothing else of
 * the observability namespace is reachable from the apps.
 */

const PORTS = [{ port: Number(new URL(URLS.prometheus).port), protocol: "TCP" as const }];

export function metricsQueryAllows(catalog: Readonly<Record<WorkloadName, CatalogEntry>> = CATALOG): { apps: Allow[]; observability: Allow[] } {
  const readers = WORKLOAD_NAMES.filter((w) => catalog[w].queriesPrometheus !== undefined);
  return {
    apps: readers.map((w) => ({ name: `allow-${w}-to-prometheus`, direction: "egress" as const, pods: selectorLabels(w), peers: [{ namespace: "observability" as const, pods: PROMETHEUS_PODS }], ports: PORTS })),
    observability:
      readers.length === 0 ? [] : [{ name: "allow-prometheus-query-from-apps", direction: "ingress", pods: PROMETHEUS_PODS, peers: readers.map((w) => ({ namespace: "apps" as const, pods: selectorLabels(w) })), ports: PORTS }],
  };
}

type NamedSpec = { name: string; namespace: string; spec: NetworkPolicySpec };

/** The Prometheus pods' ingress, outside the apps namespace: Pulumi's under either delivery (infra/delivery/gitops.ts). */
export function observabilityNamespacePolicies(catalog?: Readonly<Record<WorkloadName, CatalogEntry>>): NamedSpec[] {
  return metricsQueryAllows(catalog).observability.map((a) => ({ name: a.name, namespace: NAMESPACES.observability, spec: toPolicySpec(a) }));
}

/** Both sides as NetworkPolicies: the apps' egress (rendered with each app under Argo CD) and Prometheus's ingress. */
export function metricsQueryPolicies(catalog?: Readonly<Record<WorkloadName, CatalogEntry>>): NamedSpec[] {
  return [...metricsQueryAllows(catalog).apps.map((a) => ({ name: a.name, namespace: NAMESPACES.apps, spec: toPolicySpec(a) })), ...observabilityNamespacePolicies(catalog)];
}

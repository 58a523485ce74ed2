import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, type NamespaceKey } from "../contracts";

/** Namespaces of the platform's own controllers that are not workload concerns of NAMESPACES. */
export const SYSTEM_NAMESPACES = {
  policy: "kyverno",
  mesh: "linkerd",
  meshCni: "linkerd-cni",
  gitops: "argocd",
} as const;
export type SystemNamespaceKey = keyof typeof SYSTEM_NAMESPACES;

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface NamespacePolicy {
  /** Level enforced at admission. */
  readonly enforce: PodSecurityLevel;
  /** Level reported as warnings and audit annotations: the target when enforce has to be looser. */
  readonly audit: PodSecurityLevel;
  /** Gets the Linkerd inject annotation when the mesh is on. */
  readonly meshed: boolean;
  /** Present only when the mesh is on. */
  readonly meshOnly?: boolean;
  /** Labels a chart would have put on the namespace had it created it. */
  readonly labels?: Readonly<Record<string, string>>;
}

// Linkerd's charts label their own namespaces so its proxy injector skips them; we create them, so we label them.
const LINKERD_SYSTEM = { "config.linkerd.io/admission-webhooks": "disabled" } as const;

/**
 * Pod security and mesh membership per namespace. Looser than restricted only where a chart needs it,
 * with restricted still audited so drift shows up in warnings.
 */
export const NAMESPACE_POLICIES: Readonly<Record<NamespaceKey | SystemNamespaceKey, NamespacePolicy>> = {
  apps: { enforce: "restricted", audit: "restricted", meshed: true },
  // Qdrant's API key travels in plain HTTP inside the cluster: the mesh encrypts it.
  data: { enforce: "baseline", audit: "restricted", meshed: true },
  // Kafka already does TLS + SCRAM end to end; Strimzi addresses brokers by pod name, which the proxy would only obscure.
  kafka: { enforce: "baseline", audit: "restricted", meshed: false },
  // node-exporter needs hostNetwork, hostPID and hostPath to read node metrics.
  observability: { enforce: "privileged", audit: "baseline", meshed: false },
  platform: { enforce: "baseline", audit: "restricted", meshed: false },
  policy: { enforce: "baseline", audit: "restricted", meshed: false },
  mesh: {
    enforce: "baseline",
    audit: "restricted",
    meshed: false,
    meshOnly: true,
    labels: { ...LINKERD_SYSTEM, "linkerd.io/is-control-plane": "true", "linkerd.io/control-plane-ns": "linkerd" },
  },
  // Argo CD and Argo Rollouts (gamemetrics:apps.delivery argocd). Created on every stack, empty under
  // pulumi delivery, so switching delivery adds or removes only the controllers.
  gitops: { enforce: "baseline", audit: "restricted", meshed: false },
  // The CNI DaemonSet writes the plugin into the node's /opt/cni and /etc/cni (hostPath).
  meshCni: { enforce: "privileged", audit: "privileged", meshed: false, meshOnly: true, labels: { ...LINKERD_SYSTEM, "linkerd.io/cni-resource": "true" } },
};

export type PlatformNamespaceKey = NamespaceKey | SystemNamespaceKey;

export function namespaceName(key: PlatformNamespaceKey): string {
  return key in NAMESPACES ? NAMESPACES[key as NamespaceKey] : SYSTEM_NAMESPACES[key as SystemNamespaceKey];
}

/** The namespaces this stack creates, in a stable order. */
export function platformNamespaceKeys(meshEnabled: boolean): PlatformNamespaceKey[] {
  return (Object.keys(NAMESPACE_POLICIES) as PlatformNamespaceKey[]).filter((k) => meshEnabled || !NAMESPACE_POLICIES[k].meshOnly);
}

export function namespaceLabels(key: PlatformNamespaceKey): Record<string, string> {
  const p = NAMESPACE_POLICIES[key];
  return {
    "pod-security.kubernetes.io/enforce": p.enforce,
    "pod-security.kubernetes.io/audit": p.audit,
    "pod-security.kubernetes.io/warn": p.audit,
    "app.kubernetes.io/part-of": "gamemetrics",
    ...p.labels,
  };
}

export function namespaceAnnotations(key: PlatformNamespaceKey, meshEnabled: boolean): Record<string, string> {
  return meshEnabled && NAMESPACE_POLICIES[key].meshed ? { "linkerd.io/inject": "enabled" } : {};
}

/** The Namespace resources by key; other components take this to `dependsOn` the one they deploy into. */
export type PlatformNamespaces = Readonly<Partial<Record<PlatformNamespaceKey, k8s.core.v1.Namespace>>> &
  Readonly<Record<NamespaceKey | "policy", k8s.core.v1.Namespace>>;

export function createNamespaces(
  meshEnabled: boolean,
  provider: k8s.Provider,
  parent: pulumi.Resource,
): PlatformNamespaces {
  const entries = platformNamespaceKeys(meshEnabled).map((key) => {
    const name = namespaceName(key);
    const ns = new k8s.core.v1.Namespace(
      `ns-${name}`,
      { metadata: { name, labels: namespaceLabels(key), annotations: namespaceAnnotations(key, meshEnabled) } },
      { parent, provider },
    );
    return [key, ns] as const;
  });
  return Object.fromEntries(entries) as unknown as PlatformNamespaces;
}

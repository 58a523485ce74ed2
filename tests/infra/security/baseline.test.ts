import { NAMESPACES } from "../../../infra/contracts";
import {
  NAMESPACE_POLICIES,
  namespaceAnnotations,
  namespaceLabels,
  namespaceName,
  type PlatformNamespaceKey,
  platformNamespaceKeys,
} from "../../../infra/security/namespaces";
import { DEFAULT_DENY, namespaceAllows, networkPolicies, PORTS, toPeer, toPolicySpec, type Allow } from "../../../infra/security/network-policies";
import { DEPLOYER_RULES, VIEWER_RULES, wildcardRules } from "../../../infra/security/rbac";

const VPC = "10.0.0.0/16";
const ctx = (meshEnabled: boolean, kafkaMode: "strimzi" | "msk" = "strimzi") => ({ vpcCidr: VPC, meshEnabled, kafkaMode });
const find = (allows: Allow[], name: string): Allow => {
  const a = allows.find((x) => x.name === name);
  if (a === undefined) throw new Error(`no allow ${name} in ${allows.map((x) => x.name).join(", ")}`);
  return a;
};
const ports = (a: Allow) => (a.ports ?? []).map((p) => p.port);

describe("namespaces", () => {
  it("creates every NAMESPACES concern, and the mesh namespaces only with the mesh", () => {
    const off = platformNamespaceKeys(false).map(namespaceName);
    const on = platformNamespaceKeys(true).map(namespaceName);
    expect(off).toEqual(expect.arrayContaining(Object.values(NAMESPACES)));
    expect(off).not.toContain("linkerd");
    expect(on).toEqual(expect.arrayContaining([...off, "linkerd", "linkerd-cni"]));
  });

  it("labels pod security per namespace: restricted apps, looser only where a chart needs it", () => {
    expect(namespaceLabels("apps")).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect(namespaceLabels("observability")["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(namespaceLabels("observability")["pod-security.kubernetes.io/audit"]).toBe("baseline");
    for (const key of platformNamespaceKeys(true)) {
      const labels = namespaceLabels(key);
      expect(Object.keys(labels)).toEqual(expect.arrayContaining(["pod-security.kubernetes.io/enforce", "pod-security.kubernetes.io/audit", "pod-security.kubernetes.io/warn"]));
    }
    // Linkerd's proxy injector must skip its own namespaces, as its charts would have labelled them.
    expect(namespaceLabels("mesh")["config.linkerd.io/admission-webhooks"]).toBe("disabled");
  });

  it("annotates for Linkerd injection only meshed namespaces and only with the mesh on", () => {
    expect(namespaceAnnotations("apps", true)).toEqual({ "linkerd.io/inject": "enabled" });
    expect(namespaceAnnotations("data", true)).toEqual({ "linkerd.io/inject": "enabled" });
    expect(namespaceAnnotations("apps", false)).toEqual({});
    expect(namespaceAnnotations("kafka", true)).toEqual({});
  });
});

describe("network policies", () => {
  it("turns an allow into an ingress or egress spec with typed peers", () => {
    expect(toPolicySpec({ name: "x", direction: "ingress", peers: [{ namespace: "apps" }], ports: [{ port: 9093 }] })).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ port: 9093, protocol: "TCP" }], from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.apps } } }] }],
    });
    expect(toPolicySpec({ name: "y", direction: "egress", pods: { a: "b" }, peers: [{ cidr: VPC }] })).toEqual({
      podSelector: { matchLabels: { a: "b" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: VPC } }] }],
    });
    expect(toPeer({ sameNamespace: true })).toEqual({ podSelector: {} });
    expect(toPeer({ anyNamespace: true })).toEqual({ namespaceSelector: {} });
    expect(toPeer({ namespace: "kube-system", pods: { "k8s-app": "kube-dns" } })).toEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    });
  });

  it.each([false, true])("gives every namespace one default-deny for ingress and egress (mesh %s)", (mesh) => {
    const policies = networkPolicies(ctx(mesh));
    for (const key of platformNamespaceKeys(mesh)) {
      const deny = policies.filter((p) => p.namespaceKey === key && p.name === "default-deny");
      expect(deny).toHaveLength(1);
      expect(deny[0].spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
    expect(DEFAULT_DENY.ingress).toBeUndefined();
    expect(DEFAULT_DENY.egress).toBeUndefined();
    // Names are unique per namespace, so each becomes its own object.
    const ids = policies.map((p) => `${p.namespaceKey}/${p.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lets the apps reach Kafka, MSK's port in the VPC and DNS namespace-wide (data stores are per workload), and nothing else in-cluster", () => {
    const apps = namespaceAllows("apps", ctx(false));
    expect(find(apps, "allow-kafka")).toMatchObject({ direction: "egress", peers: [{ namespace: "kafka" }] });
    // Strimzi's SCRAM/TLS listeners and the schema registry.
    expect(ports(find(apps, "allow-kafka"))).toEqual([9093, 9094, 8080]);
    // Data stores are admitted per workload (infra/workloads/spec.ts dataAllows), never to the whole namespace.
    expect(apps.map((a) => a.name)).not.toContain("allow-qdrant");
    expect(apps.map((a) => a.name)).not.toContain("allow-vpc-data");
    expect(apps.some((a) => (a.ports ?? []).some((pt) => [5432, 6379, 6333, 6334].includes(Number(pt.port))))).toBe(false);
    expect(find(apps, "allow-dns").peers).toEqual([{ namespace: "kube-system", pods: { "k8s-app": "kube-dns" } }]);
    expect(ports(find(apps, "allow-dns"))).toEqual([53, 53]);
    expect(apps.some((a) => a.peers.some((p) => "sameNamespace" in p || "anyNamespace" in p))).toBe(false);
  });

  it("admits the load balancer only to public API pods on their http port, and the apps to Kafka", () => {
    const lb = find(namespaceAllows("apps", ctx(false)), "allow-load-balancer");
    expect(lb).toMatchObject({ direction: "ingress", pods: { "gamemetrics.io/public-api": "true" }, peers: [{ cidr: VPC }] });
    expect(ports(lb)).toEqual(["http"]);
    expect(find(namespaceAllows("kafka", ctx(false)), "allow-apps")).toMatchObject({ direction: "ingress", peers: [{ namespace: "apps" }] });
    expect(namespaceAllows("data", ctx(false)).map((a) => a.name)).not.toContain("allow-apps");
    expect(ports(find(namespaceAllows("kafka", ctx(false)), "allow-apps"))).toEqual([...PORTS.kafka]);
    // Only Kafka Connect (CDC) leaves the kafka namespace for PostgreSQL.
    expect(find(namespaceAllows("kafka", ctx(false)), "allow-connect-postgres")).toMatchObject({ direction: "egress", pods: { "strimzi.io/kind": "KafkaConnect" }, peers: [{ cidr: VPC }] });
  });

  it("lets Prometheus scrape every namespace, and nothing else from observability", () => {
    for (const key of platformNamespaceKeys(true)) {
      const scrape = find(namespaceAllows(key, ctx(true)), "allow-prometheus-scrape");
      expect(scrape.peers).toEqual([{ namespace: "observability", pods: { "app.kubernetes.io/name": "prometheus" } }]);
    }
  });

  it("opens the world only on 443, and every allow names its peers", () => {
    for (const key of platformNamespaceKeys(true)) {
      for (const allow of namespaceAllows(key, ctx(true))) {
        expect(allow.peers.length).toBeGreaterThan(0);
        if (allow.peers.some((p) => "cidr" in p && p.cidr === "0.0.0.0/0")) expect(ports(allow)).toEqual([443]);
      }
    }
  });

  it("adds the Linkerd allows to meshed namespaces only when the mesh is on", () => {
    const meshAllowNames = (key: PlatformNamespaceKey, on: boolean) => namespaceAllows(key, ctx(on)).map((a) => a.name).filter((n) => n.startsWith("allow-mesh"));
    expect(meshAllowNames("apps", false)).toEqual([]);
    expect(meshAllowNames("apps", true)).toEqual(["allow-mesh-control", "allow-mesh-proxies"]);
    expect(meshAllowNames("kafka", true)).toEqual([]);
    const proxies = find(namespaceAllows("data", ctx(true)), "allow-mesh-proxies");
    expect(proxies.peers).toEqual([{ namespace: "apps" }, { namespace: "data" }]);
    expect(ports(find(namespaceAllows("apps", ctx(true)), "allow-mesh-control"))).toEqual([8080, 8086, 8090]);
    expect(Object.entries(NAMESPACE_POLICIES).filter(([, p]) => p.meshed).map(([k]) => k)).toEqual(["apps", "data"]);
  });
});

describe("rbac", () => {
  it("finds wildcards in verbs, resources and API groups", () => {
    expect(wildcardRules([{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }])).toHaveLength(1);
    expect(wildcardRules([{ apiGroups: ["*"], resources: ["pods"], verbs: ["get"] }])).toHaveLength(1);
    expect(wildcardRules([{ apiGroups: [""], resources: ["pods/*"], verbs: ["get"] }])).toHaveLength(1);
    expect(wildcardRules([{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }])).toEqual([]);
  });

  it("keeps the platform's own roles free of wildcards, and the viewer away from Secrets", () => {
    expect(wildcardRules(VIEWER_RULES)).toEqual([]);
    expect(wildcardRules(DEPLOYER_RULES)).toEqual([]);
    expect(VIEWER_RULES.flatMap((r) => r.resources)).not.toContain("secrets");
    expect(VIEWER_RULES.flatMap((r) => r.verbs).every((v) => ["get", "list", "watch"].includes(v))).toBe(true);
    expect(DEPLOYER_RULES.flatMap((r) => r.resources)).not.toContain("secrets");
  });
});

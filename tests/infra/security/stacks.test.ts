import { tierDefaults } from "../../../infra/config";
import { NAMESPACES } from "../../../infra/contracts";
import { namespaceLabels, namespaceName, platformNamespaceKeys } from "../../../infra/security/namespaces";
import { type RbacRule, wildcardRules } from "../../../infra/security/rbac";
import { type Capture } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";

const STACKS = ["dev", "staging", "prod"] as const;
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const ROOT = "gamemetrics:security:SecurityBaseline::security";
const captures = {} as Record<(typeof STACKS)[number], Capture>;

beforeAll(async () => {
  for (const stack of STACKS) captures[stack] = await cachedCapture({ stack });
}, 240_000);

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const meta = (inputs: Record<string, unknown>) => inputs.metadata as Meta;

describe.each(STACKS)("security baseline on %s", (stack) => {
  const c = () => captures[stack];
  const mesh = tierDefaults(TIER[stack]).mesh.enabled;
  const namespaces = () => ofType(descendants(c(), ROOT), "kubernetes:core/v1:Namespace").map((r) => meta(r.inputs));
  const policies = () => ofType(c().resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");

  it("creates the namespaces per concern with pod security labels, and the mesh namespaces exactly when the mesh is on", () => {
    const created = namespaces();
    expect(created.map((n) => n.name).sort()).toEqual(platformNamespaceKeys(mesh).map(namespaceName).sort());
    expect(created.map((n) => n.name)).toEqual(expect.arrayContaining(Object.values(NAMESPACES)));
    for (const key of platformNamespaceKeys(mesh)) {
      expect(created.find((n) => n.name === namespaceName(key))?.labels).toEqual(namespaceLabels(key));
    }
  });

  it("annotates the apps and data namespaces for Linkerd injection exactly when the mesh is on", () => {
    const injected = namespaces()
      .filter((n) => n.annotations?.["linkerd.io/inject"] === "enabled")
      .map((n) => n.name)
      .sort();
    expect(injected).toEqual(mesh ? [NAMESPACES.data, NAMESPACES.apps].sort() : []);
  });

  it("puts a default-deny NetworkPolicy in every namespace it creates", () => {
    const denies = policies().filter((p) => meta(p.inputs).name === "default-deny");
    expect(denies.map((p) => meta(p.inputs).namespace).sort()).toEqual(namespaces().map((n) => n.name).sort());
    for (const deny of denies) expect(deny.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("keeps every NetworkPolicy inside a namespace it created, with peers on every rule", () => {
    const names = new Set(namespaces().map((n) => n.name));
    for (const p of policies().filter((x) => x.parent === ROOT)) {
      expect(names.has(meta(p.inputs).namespace ?? "")).toBe(true);
      const spec = p.inputs.spec as { ingress?: { from: unknown[] }[]; egress?: { to: unknown[] }[] };
      for (const rule of spec.ingress ?? []) expect(rule.from.length).toBeGreaterThan(0);
      for (const rule of spec.egress ?? []) expect(rule.to.length).toBeGreaterThan(0);
    }
  });

  it("has no wildcard verbs or resources in any Role or ClusterRole of the program", () => {
    const roles = c().resources.filter((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:Role" || r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    expect(roles.map((r) => meta(r.inputs).name)).toEqual(expect.arrayContaining(["gamemetrics-viewer", "app-deployer"]));
    for (const role of roles) expect(wildcardRules(role.inputs.rules as RbacRule[])).toEqual([]);
  });
});

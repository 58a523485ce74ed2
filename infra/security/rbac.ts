import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../contracts";

/** One RBAC rule, as rbac.authorization.k8s.io/v1 has it. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** Rules that grant `*` on verbs, resources or API groups: none of our own roles may have one. */
export function wildcardRules(rules: readonly RbacRule[]): RbacRule[] {
  return rules.filter((r) => [...r.apiGroups, ...r.resources, ...r.verbs].some((v) => v.includes("*")));
}

function checked(role: string, rules: readonly RbacRule[]): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const bad = wildcardRules(rules);
  if (bad.length > 0) throw new Error(`RBAC role ${role} has wildcard rules (not allowed): ${JSON.stringify(bad)}`);
  return rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
}

const READ = ["get", "list", "watch"] as const;
const WRITE = [...READ, "create", "update", "patch", "delete"] as const;

/** Read-only view for on-call engineers: workloads and their status, never Secrets. */
export const VIEWER_RULES: readonly RbacRule[] = [
  { apiGroups: [""], resources: ["pods", "pods/log", "services", "endpoints", "configmaps", "events", "namespaces", "persistentvolumeclaims"], verbs: READ },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"], verbs: READ },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
];

/** What CI needs to roll out the apps in their namespace; Secrets come from External Secrets, not from CI. */
export const DEPLOYER_RULES: readonly RbacRule[] = [
  { apiGroups: [""], resources: ["services", "configmaps", "serviceaccounts"], verbs: WRITE },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: WRITE },
  { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: WRITE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: WRITE },
];

/** Kubernetes groups that EKS access entries map IAM principals to. */
export const RBAC_GROUPS = { viewers: "gamemetrics:viewers", deployers: "gamemetrics:deployers" } as const;

/** The platform's own roles: a cluster-wide viewer and a deployer scoped to the apps namespace. */
export function createRoles(provider: k8s.Provider, parent: pulumi.Resource, appsNamespace: k8s.core.v1.Namespace): void {
  const opts = { parent, provider };
  new k8s.rbac.v1.ClusterRole("gamemetrics-viewer", { metadata: { name: "gamemetrics-viewer" }, rules: checked("gamemetrics-viewer", VIEWER_RULES) }, opts);
  new k8s.rbac.v1.ClusterRoleBinding(
    "gamemetrics-viewer",
    {
      metadata: { name: "gamemetrics-viewer" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gamemetrics-viewer" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: RBAC_GROUPS.viewers }],
    },
    opts,
  );
  const nsOpts = { ...opts, dependsOn: [appsNamespace] };
  new k8s.rbac.v1.Role(
    "app-deployer",
    { metadata: { name: "app-deployer", namespace: NAMESPACES.apps }, rules: checked("app-deployer", DEPLOYER_RULES) },
    nsOpts,
  );
  new k8s.rbac.v1.RoleBinding(
    "app-deployer",
    {
      metadata: { name: "app-deployer", namespace: NAMESPACES.apps },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "app-deployer" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: RBAC_GROUPS.deployers }],
    },
    nsOpts,
  );
}

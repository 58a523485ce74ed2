import { ALWAYS, PRODUCTION, problems, resourceRule, stackRule, subjectRule, typeMatcher } from "../engine/define";
import { arr, at, num, obj, str, strings } from "../engine/inputs";
import { kindOf, metadataOf, namespaceOf, objectName, podLabels, selects, SERVING_TYPES, WORKLOAD_TYPES } from "../engine/k8s";
import type { PolicyResource, Rule } from "../engine/types";

const isWorkload = typeMatcher(WORKLOAD_TYPES);
const isNamespace = typeMatcher(["kubernetes:core/*:Namespace"]);
const isNetworkPolicy = typeMatcher(["kubernetes:networking.k8s.io/*:NetworkPolicy"]);
const isHpa = typeMatcher(["kubernetes:autoscaling/*:HorizontalPodAutoscaler"]);
const isPdb = typeMatcher(["kubernetes:policy/*:PodDisruptionBudget"]);
const CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];
const isChart = typeMatcher(CHART_TYPES);
/** Namespaces Kubernetes and EKS own; our NetworkPolicy baseline does not reach them. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

const noWildcardRbac = resourceRule({
  name: "k8s-no-wildcard-rbac",
  description: "Roles and ClusterRoles name their verbs, resources and API groups: no \"*\".",
  remediation: "List the exact verbs and resources the subject needs.",
  levels: ALWAYS,
  appliesTo: ["kubernetes:rbac.authorization.k8s.io/*:Role", "kubernetes:rbac.authorization.k8s.io/*:ClusterRole"],
  check(r) {
    return arr(r.inputs["rules"]).flatMap((rule, i) =>
      ["verbs", "resources", "apiGroups"].filter((k) => strings(obj(rule)?.[k]).includes("*")).map((k) => `rule ${i}: wildcard in ${k}`),
    );
  },
});

export const INTERNET_FACING_ANNOTATION = "gamemetrics.io/internet-facing";

const noPublicLoadBalancer = resourceRule({
  name: "k8s-no-public-load-balancer",
  description: `LoadBalancer Services and ALB Ingresses are internal unless annotated ${INTERNET_FACING_ANNOTATION}: "true" (a reviewed decision).`,
  remediation: `Annotate service.beta.kubernetes.io/aws-load-balancer-scheme: internal, or add ${INTERNET_FACING_ANNOTATION}: "true" for the public edge.`,
  levels: ALWAYS,
  appliesTo: ["kubernetes:core/*:Service", "kubernetes:networking.k8s.io/*:Ingress"],
  check(r) {
    const annotations = obj(metadataOf(r)["annotations"]) ?? {};
    if (annotations[INTERNET_FACING_ANNOTATION] === "true") return [];
    if (kindOf(r.type) === "Ingress") {
      return annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing" ? ["internet-facing ALB Ingress without the explicit annotation"] : [];
    }
    if (at(r.inputs, "spec.type") !== "LoadBalancer") return [];
    const internal =
      annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal" ||
      annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true";
    return internal ? [] : ["internet-facing LoadBalancer without the explicit annotation"];
  },
});

/** Empty pod selector and no allow rules: denies the listed directions for the whole namespace. */
function deniedDirections(policy: PolicyResource): string[] {
  const spec = obj(policy.inputs["spec"]) ?? {};
  const selector = obj(spec["podSelector"]) ?? {};
  const everyPod = Object.keys(obj(selector["matchLabels"]) ?? {}).length === 0 && arr(selector["matchExpressions"]).length === 0;
  // Kubernetes defaults policyTypes to Ingress (plus Egress when egress rules are given).
  const types = spec["policyTypes"] === undefined ? ["Ingress", ...(spec["egress"] === undefined ? [] : ["Egress"])] : strings(spec["policyTypes"]);
  return everyPod ? types.filter((t) => arr(spec[t.toLowerCase()]).length === 0) : [];
}

const defaultDeny = stackRule({
  name: "k8s-default-deny-network-policy",
  description: "Every namespace we create or deploy into has a default-deny NetworkPolicy for ingress and egress.",
  remediation: "Add the namespace to the security baseline (infra/security), which creates default-deny plus explicit allows.",
  levels: ALWAYS,
  appliesTo: ["kubernetes:core/*:Namespace", ...WORKLOAD_TYPES, ...CHART_TYPES, "kubernetes:networking.k8s.io/*:NetworkPolicy"],
  check(resources) {
    const namespaces = new Map<string, PolicyResource>();
    for (const r of resources) {
      if (isNamespace(r.type)) namespaces.set(objectName(r), r);
      else if (isWorkload(r.type)) namespaces.set(namespaceOf(r), namespaces.get(namespaceOf(r)) ?? r);
      else if (isChart(r.type)) {
        const ns = str(r.inputs["namespace"]) ?? "default";
        namespaces.set(ns, namespaces.get(ns) ?? r);
      }
    }
    const denied = new Map<string, Set<string>>();
    for (const p of resources.filter((r) => isNetworkPolicy(r.type))) {
      const set = denied.get(namespaceOf(p)) ?? new Set<string>();
      deniedDirections(p).forEach((d) => set.add(d));
      denied.set(namespaceOf(p), set);
    }
    return [...namespaces]
      .filter(([ns]) => !SYSTEM_NAMESPACES.has(ns))
      .flatMap(([ns, r]) => {
        const missing = ["Ingress", "Egress"].filter((d) => !denied.get(ns)?.has(d));
        return missing.length > 0 ? [{ resource: r, message: `namespace ${ns} has no default-deny ${missing.join(" and ")} policy` }] : [];
      });
  },
});

/** The HPA that scales a workload (same namespace, scaleTargetRef kind and name). */
function hpaFor(workload: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
  return resources.find(
    (h) =>
      isHpa(h.type) &&
      namespaceOf(h) === namespaceOf(workload) &&
      at(h.inputs, "spec.scaleTargetRef.kind") === kindOf(workload.type) &&
      at(h.inputs, "spec.scaleTargetRef.name") === objectName(workload),
  );
}

const haReplicas = subjectRule({
  name: "k8s-ha-replicas",
  description: "Production Deployments and StatefulSets run at least 2 replicas (directly or as their HPA's minimum).",
  remediation: "Set the production replica/HPA minimum to 2 or more in the app catalog.",
  levels: PRODUCTION,
  subjects: SERVING_TYPES,
  companions: ["kubernetes:autoscaling/*:HorizontalPodAutoscaler"],
  check: (w, resources) => {
    const hpa = hpaFor(w, resources);
    const replicas = hpa !== undefined ? num(at(hpa.inputs, "spec.minReplicas")) ?? 1 : num(at(w.inputs, "spec.replicas")) ?? 1;
    return replicas >= 2 ? undefined : `${objectName(w)} runs ${replicas} replica(s)${hpa ? " at its HPA minimum" : ""}; required: 2 or more`;
  },
});

const pdb = subjectRule({
  name: "k8s-pdb",
  description: "Every production Deployment/StatefulSet has a PodDisruptionBudget that still lets nodes drain.",
  remediation: "The workload component creates a PDB (maxUnavailable 1) for each production workload.",
  levels: PRODUCTION,
  subjects: SERVING_TYPES,
  companions: ["kubernetes:policy/*:PodDisruptionBudget"],
  check: (w, resources) => {
    const matching = resources.filter(
      (b) => isPdb(b.type) && namespaceOf(b) === namespaceOf(w) && selects(at(b.inputs, "spec.selector"), podLabels(w)),
    );
    if (matching.length === 0) return `${objectName(w)} has no PodDisruptionBudget`;
    const blocking = matching.filter((b) => num(at(b.inputs, "spec.maxUnavailable")) === 0);
    return blocking.length > 0 ? `PodDisruptionBudget ${objectName(blocking[0])} has maxUnavailable 0 (blocks node drains)` : undefined;
  },
});

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const chartPinned = resourceRule({
  name: "helm-chart-pinned",
  description: "Every Helm chart is pinned to an exact version from an HTTPS or OCI repository.",
  remediation: "Add or update the chart in the CHARTS table (infra/services/charts.ts) with an exact version.",
  levels: ALWAYS,
  appliesTo: CHART_TYPES,
  check(r) {
    const version = str(r.inputs["version"]);
    const repo = str(at(r.inputs, "repositoryOpts.repo")) ?? str(r.inputs["chart"]) ?? "";
    return problems(
      (version === undefined || !SEMVER.test(version)) && `chart version ${version ?? "unset"} is not an exact version`,
      /^http:\/\//.test(repo) && `repository ${repo} is plain HTTP`,
    );
  },
});

export const KUBERNETES_RULES: readonly Rule[] = [noWildcardRbac, noPublicLoadBalancer, defaultDeny, haReplicas, pdb, chartPinned];

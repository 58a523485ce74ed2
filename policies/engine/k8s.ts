import { arr, at, obj, type Obj, str } from "./inputs";
import type { PolicyResource } from "./types";

/** Kubernetes objects that carry a pod template (or are a pod). */
export const WORKLOAD_TYPES = [
  "kubernetes:apps/*:Deployment",
  "kubernetes:apps/*:StatefulSet",
  "kubernetes:apps/*:DaemonSet",
  "kubernetes:apps/*:ReplicaSet",
  "kubernetes:batch/*:Job",
  "kubernetes:batch/*:CronJob",
  "kubernetes:core/*:Pod",
  // Argo Rollouts' Deployment with a canary strategy (apps delivered by Argo CD).
  "kubernetes:argoproj.io/*:Rollout",
] as const;

/** Long-running workloads: the ones that need probes, replicas and disruption budgets. */
export const SERVING_TYPES = ["kubernetes:apps/*:Deployment", "kubernetes:apps/*:StatefulSet", "kubernetes:argoproj.io/*:Rollout"] as const;

/** `kubernetes:apps/v1:Deployment` -> `Deployment`. */
export function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

export function podTemplate(r: PolicyResource): Obj | undefined {
  switch (kindOf(r.type)) {
    case "Pod":
      return obj(r.inputs);
    case "CronJob":
      return obj(at(r.inputs, "spec.jobTemplate.spec.template"));
    default:
      return obj(at(r.inputs, "spec.template"));
  }
}

export function podSpec(r: PolicyResource): Obj {
  return obj(podTemplate(r)?.["spec"]) ?? {};
}

export interface NamedContainer {
  readonly name: string;
  readonly spec: Obj;
  /** Init containers run to completion: no probes expected. */
  readonly init: boolean;
}

export function containersOf(r: PolicyResource): NamedContainer[] {
  const spec = podSpec(r);
  const list = (key: string, init: boolean) =>
    arr(spec[key]).map((c, i) => ({ name: str(obj(c)?.["name"]) ?? `#${i}`, spec: obj(c) ?? {}, init }));
  return [...list("initContainers", true), ...list("containers", false)];
}

export function metadataOf(r: PolicyResource): Obj {
  return obj(r.inputs["metadata"]) ?? {};
}

export function namespaceOf(r: PolicyResource): string {
  return str(metadataOf(r)["namespace"]) ?? "default";
}

export function objectName(r: PolicyResource): string {
  return str(metadataOf(r)["name"]) ?? r.name;
}

/** Labels of the pods a workload creates. */
export function podLabels(r: PolicyResource): Readonly<Record<string, string>> {
  const labels = obj(obj(podTemplate(r)?.["metadata"])?.["labels"]) ?? {};
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Whether a label selector (`matchLabels` and `matchExpressions` with In/Exists) selects these labels. */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = obj(selector);
  if (s === undefined) return false;
  const matchLabels = obj(s["matchLabels"]) ?? {};
  const expressions = arr(s["matchExpressions"]).map((e) => obj(e) ?? {});
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  const labelsOk = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
  const exprOk = expressions.every((e) => {
    const key = str(e["key"]) ?? "";
    const values = arr(e["values"]);
    switch (e["operator"]) {
      case "In":
        return values.includes(labels[key]);
      case "NotIn":
        return !values.includes(labels[key]);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        return false;
    }
  });
  return labelsOk && exprOk;
}

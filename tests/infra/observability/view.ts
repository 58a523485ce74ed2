// Lookups over a capture for the Observability component's resources.
import type { Capture, CapturedResource } from "../../../infra/tools/capture";
import { descendants, named, ofType } from "../tree";

export const CHART = "kubernetes:helm.sh/v4:Chart";
export const ROOT = "gamemetrics:services:Observability::observability";

export const owned = (c: Capture): CapturedResource[] => descendants(c, ROOT);
export const chartNames = (c: Capture): string[] => ofType(owned(c), CHART).map((r) => r.name).sort();
export const chart = (c: Capture, name: string): CapturedResource => named(owned(c), CHART, `observability-${name}`);

export const values = (c: Capture, name: string): Record<string, unknown> => chart(c, name).inputs.values as Record<string, unknown>;

/** The value at a dotted path (`prometheus.prometheusSpec.replicas`); throws naming the path when absent. */
export function at(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => {
    if (typeof node !== "object" || node === null || !(key in node)) throw new Error(`no ${path} (stopped at ${key})`);
    return (node as Record<string, unknown>)[key];
  }, root);
}

/** Parsed trust and inline policy of every IRSA role under a component. */
export function irsaRoles(resources: readonly CapturedResource[]): { name: string; trust: TrustStatement; policy: PolicyDoc }[] {
  const policies = new Map(ofType(resources, "aws:iam/rolePolicy:RolePolicy").map((p) => [p.name, JSON.parse(String(p.inputs.policy)) as PolicyDoc]));
  return ofType(resources, "aws:iam/role:Role").map((role) => ({
    name: role.name,
    trust: (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: TrustStatement[] }).Statement[0],
    policy: policies.get(role.name) ?? { Statement: [] },
  }));
}

export interface TrustStatement {
  Action: string;
  Principal: { Federated: string };
  Condition: { StringEquals: Record<string, string> };
}
export interface PolicyDoc {
  Statement: { Action: string[] | string; Resource: string[] | string; Condition?: unknown }[];
}

/** The `system:serviceaccount:<ns>:<sa>` and audience a trust statement pins. */
export function pinned(trust: TrustStatement): { sub: string; aud: string } {
  const entries = Object.entries(trust.Condition.StringEquals);
  const find = (suffix: string) => entries.find(([k]) => k.endsWith(suffix))?.[1] ?? "";
  return { sub: find(":sub"), aud: find(":aud") };
}

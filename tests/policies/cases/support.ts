import type { PolicyResource } from "../../../policies/engine/types";

/** Resources a rule sees together: one resource for most resource rules, a small stack for stack rules. */
export type Stack = readonly PolicyResource[];

/** Compliant stacks (no finding) and non-compliant ones (at least one finding each) for one rule. */
export interface RuleCase {
  readonly pass: readonly Stack[];
  readonly fail: readonly Stack[];
}

export const TAGS = { project: "gamemetrics", env: "prod", tier: "production" };

export function res(type: string, inputs: Record<string, unknown>, name = "r", parent?: string): PolicyResource {
  return parent === undefined ? { type, name, inputs } : { type, name, inputs, parent };
}

/** `one(a, b)` -> [[a], [b]]: each resource alone is a stack. */
export function one(...resources: PolicyResource[]): Stack[] {
  return resources.map((r) => [r]);
}

type Json = Record<string, unknown>;

/** Deep merge for building variants of a compliant base; arrays and scalars replace. */
export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = base[k];
    out[k] =
      typeof v === "object" && v !== null && !Array.isArray(v) && typeof b === "object" && b !== null && !Array.isArray(b)
        ? merge(b as Json, v as Json)
        : v;
  }
  return out;
}

/** `(patch) => resource`: a compliant base of one type, deep-merged with each case's patch. */
export function variants(type: string, base: Json, name?: string): (patch?: Json) => PolicyResource {
  return (patch = {}) => res(type, merge(base, patch), name);
}

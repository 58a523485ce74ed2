import type { Level, ResourceRule, StackRule, Tier } from "./types";

/** Level presets, so each rule states its tier behaviour in one word. */
export const ALWAYS: Readonly<Record<Tier, Level>> = { free: "mandatory", production: "mandatory" };
export const PRODUCTION: Readonly<Record<Tier, Level>> = { free: "disabled", production: "mandatory" };
/** Mandatory in production, a warning on free (where the cheaper shape is accepted). */
export const PRODUCTION_WARN_FREE: Readonly<Record<Tier, Level>> = { free: "advisory", production: "mandatory" };
/** Cost guard rails: mandatory on free, irrelevant in production. */
export const FREE: Readonly<Record<Tier, Level>> = { free: "mandatory", production: "disabled" };

/**
 * Type patterns: exact Pulumi type tokens, or `*` for any version segment, so
 * `kubernetes:kafka.strimzi.io/*:Kafka` matches v1beta2 and v1 alike.
 */
export function typeMatcher(patterns: readonly string[]): (type: string) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split("*").map(escape).join("[^:/]+")}$`));
  return (type) => regexes.some((r) => r.test(type));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type ResourceRuleDef = Omit<ResourceRule, "kind" | "matches">;

export function resourceRule(def: ResourceRuleDef): ResourceRule {
  return { kind: "resource", ...def, matches: typeMatcher(def.appliesTo) };
}

export function stackRule(def: Omit<StackRule, "kind">): StackRule {
  return { kind: "stack", ...def };
}

import { at, bool } from "./inputs";
import type { Level, PolicyResource, ResourceRule, StackRule, Tier } from "./types";

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
/** What a rule states about itself, without its check: the part rule factories take. */
export type RuleInfoDef = Omit<ResourceRuleDef, "check">;

export function resourceRule(def: ResourceRuleDef): ResourceRule {
  return { kind: "resource", ...def, matches: typeMatcher(def.appliesTo) };
}

export function stackRule(def: Omit<StackRule, "kind">): StackRule {
  return { kind: "stack", ...def };
}

/** `<key> is not true` unless the boolean input at the dotted path is true (the message names the last key). */
export function notTrue(r: PolicyResource, path: string): string | undefined {
  return bool(at(r.inputs, path)) === true ? undefined : `${path.slice(path.lastIndexOf(".") + 1)} is not true`;
}

/** A rule that requires one boolean input (a dotted path) to be true on the types it applies to. */
export function flagRule(def: RuleInfoDef, path: string): ResourceRule {
  return resourceRule({ ...def, check: (r) => [notTrue(r, path)].filter((m): m is string => m !== undefined) });
}

import { at, bool } from "./inputs";
import type { Level, PolicyResource, ResourceRule, RuleInfo, StackRule, StackViolation, Tier } from "./types";

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

/**
 * A stack rule that judges each resource of the `subjects` types on its own, reading the rest of the stack
 * (`companions` are the other types it reads): a message becomes a violation on that resource.
 */
export function subjectRule(
  def: RuleInfo & {
    subjects: readonly string[];
    companions: readonly string[];
    check: (subject: PolicyResource, resources: readonly PolicyResource[]) => string | undefined;
  },
): StackRule {
  const { subjects, companions, check, ...info } = def;
  const isSubject = typeMatcher(subjects);
  return stackRule({
    ...info,
    appliesTo: [...subjects, ...companions],
    check: (resources) =>
      resources.filter((r) => isSubject(r.type)).flatMap((subject): StackViolation[] => {
        const message = check(subject, resources);
        return message === undefined ? [] : [{ resource: subject, message }];
      }),
  });
}

/**
 * A rule with its own check for each resource type (patterns as `typeMatcher` takes them): it applies
 * to those types, in that order, so a type and what is checked on it are stated once, side by side.
 */
export function perTypeRule(def: RuleInfo & { checks: Readonly<Record<string, ResourceRule["check"]>> }): ResourceRule {
  const { checks, ...info } = def;
  const branches = Object.entries(checks).map(([pattern, check]) => ({ matches: typeMatcher([pattern]), check }));
  return resourceRule({ ...info, appliesTo: Object.keys(checks), check: (r) => branches.find((b) => b.matches(r.type))?.check(r) ?? [] });
}

/** The problems found among possible ones: each check gives its message, or `undefined`/`false` when all is well. */
export function problems(...found: readonly (string | false | undefined)[]): string[] {
  return found.filter((m): m is string => typeof m === "string");
}

/** `<label> a, b` naming the `wanted` items that `has` does not find; undefined when none is missing. */
export function missingProblem(label: string, wanted: readonly string[], has: (item: string) => boolean): string | undefined {
  const missing = wanted.filter((w) => !has(w));
  return missing.length > 0 ? `${label} ${missing.join(", ")}` : undefined;
}

/** How a boolean input must be set: explicitly `true`, explicitly `false`, or anything but `true` (unset is fine). */
export type FlagRequirement = "true" | "false" | "not true";

/** The problem with the boolean named `key`: `<key> is not true`, `<key> is not false` or `<key> is true`. */
export function flagProblem(key: string, value: unknown, required: FlagRequirement = "true"): string | undefined {
  const set = bool(value);
  if (required === "not true") return set === true ? `${key} is true` : undefined;
  return set === (required === "true") ? undefined : `${key} is not ${required}`;
}

/** `flagProblem` for the boolean at a dotted path (`securityContext.privileged`); the message names the last key. */
export function flagAt(root: unknown, path: string, required: FlagRequirement = "true"): string | undefined {
  return flagProblem(path.slice(path.lastIndexOf(".") + 1), at(root, path), required);
}

/** A rule that requires one boolean input, `flag` (a dotted path), to be set as `required` (default: true). */
export function flagRule(def: Omit<ResourceRuleDef, "check"> & { flag: string; required?: FlagRequirement }): ResourceRule {
  const { flag, required, ...info } = def;
  return resourceRule({ ...info, check: (r) => problems(flagAt(r.inputs, flag, required)) });
}

import type { Tier } from "../../infra/config/profile";

export type { Tier };
export const TIER_NAMES: readonly Tier[] = ["free", "production"];

/** What a rule does on a tier: `mandatory` fails the gate (and `pulumi preview`), `advisory` only warns. */
export type Level = "mandatory" | "advisory" | "disabled";
export const LEVELS: readonly Level[] = ["mandatory", "advisory", "disabled"];

/**
 * One resource as a rule sees it: the same shape offline (the capture) and in a real preview
 * (the policy runtime's `type`, `name`, `props`). Inputs may be an unknown-checking proxy.
 */
export interface PolicyResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Opaque id of the parent resource (capture: `type::name`; runtime: the parent URN). */
  readonly parent?: string;
}

/** What a rule states about itself, whatever its kind: rule factories take this and add types and a check. */
export interface RuleInfo {
  /** Unique kebab-case id, also the key in free.json/prod.json. */
  readonly name: string;
  /** One line: what the rule requires. */
  readonly description: string;
  /** One line: how to fix a violation in this project (config key or component). */
  readonly remediation: string;
  readonly levels: Readonly<Record<Tier, Level>>;
}

/** A rule over one resource at a time; returns one message per problem found. */
export interface ResourceRule extends RuleInfo {
  readonly kind: "resource";
  /** Human-readable list of the types the rule applies to (for the rules table). */
  readonly appliesTo: readonly string[];
  readonly matches: (type: string) => boolean;
  readonly check: (resource: PolicyResource) => readonly string[];
}

export interface StackViolation {
  /** The offending resource, when there is one (a missing resource has none). */
  readonly resource?: Pick<PolicyResource, "type" | "name">;
  readonly message: string;
}

/** A rule over the whole stack, for properties that span resources (a PDB per Deployment, NAT count...). */
export interface StackRule extends RuleInfo {
  readonly kind: "stack";
  readonly appliesTo: readonly string[];
  readonly check: (resources: readonly PolicyResource[]) => readonly StackViolation[];
}

export type Rule = ResourceRule | StackRule;

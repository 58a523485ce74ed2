import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type { Level, PolicyResource, Rule } from "./types";

/** One reported problem, at the level the tier gives its rule. */
export interface Finding {
  readonly rule: string;
  readonly level: Exclude<Level, "disabled">;
  readonly resource?: Pick<PolicyResource, "type" | "name">;
  readonly message: string;
  readonly remediation: string;
}

/** Enforcement level per rule name. */
export type Levels = Readonly<Record<string, Level>>;

// @pulumi/policy 1.21 publishes these two without types (its proxy.d.ts is empty): typed here.
const isUnknownValueError = (e: unknown): e is Error => e instanceof UnknownValueError;
const asUnknownChecking = (inputs: PolicyResource["inputs"]): PolicyResource["inputs"] =>
  unknownCheckingProxy(inputs) as PolicyResource["inputs"];

/**
 * Runs rules over resources the way the policy runtime does: inputs behind the unknown-checking
 * proxy, so a rule that reads a value unknown at preview becomes an advisory "can't run" finding
 * instead of a verdict; disabled rules are skipped; any other error names the rule.
 */
export function evaluate(resources: readonly PolicyResource[], rules: readonly Rule[], levels: Levels): Finding[] {
  const proxied = resources.map((r) => ({ ...r, inputs: asUnknownChecking(r.inputs) }));
  const findings: Finding[] = [];
  for (const rule of rules) {
    const level = levels[rule.name];
    if (level === undefined) throw new Error(`no enforcement level for rule ${rule.name}`);
    if (level === "disabled") continue;
    const report = (message: string, resource?: Pick<PolicyResource, "type" | "name">, at: Finding["level"] = level) => {
      const where = resource === undefined ? {} : { resource: { type: resource.type, name: resource.name } };
      findings.push({ rule: rule.name, level: at, message, remediation: rule.remediation, ...where });
    };
    const guarded = (fn: () => void, resource?: PolicyResource) => {
      try {
        fn();
      } catch (e) {
        if (isUnknownValueError(e)) {
          report(`can't run during preview: ${e.message}`, resource, "advisory");
          return;
        }
        const on = resource === undefined ? "" : ` on ${resource.type} ${resource.name}`;
        throw new Error(`policy ${rule.name} failed${on}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    if (rule.kind === "resource") {
      for (const r of proxied.filter((p) => rule.matches(p.type))) guarded(() => rule.check(r).forEach((m) => report(m, r)), r);
    } else {
      guarded(() => rule.check(proxied).forEach((v) => report(v.message, v.resource)));
    }
  }
  return findings;
}

import type { PolicyPackArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyResource, Rule } from "./engine/types";
import { RULES } from "./rules";

/**
 * Our plain rules as @pulumi/policy policies for a real `pulumi preview --policy-pack policies`.
 * Default levels are the production tier's (the strict side); free.json/prod.json set each tier's.
 * Side-effect free: only policies/index.ts constructs the PolicyPack (which starts a gRPC server).
 */
export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const base = {
    name: rule.name,
    description: rule.description,
    remediationSteps: rule.remediation,
    enforcementLevel: rule.levels.production,
  };
  const message = (text: string) => `${text}. Fix: ${rule.remediation}`;
  if (rule.kind === "resource") {
    return {
      ...base,
      validateResource: (args, reportViolation) => {
        if (!rule.matches(args.type)) args.notApplicable(`applies to ${rule.appliesTo.join(", ")}`);
        const resource: PolicyResource = { type: args.type, name: args.name, inputs: args.props, parent: args.opts.parent };
        for (const problem of rule.check(resource)) reportViolation(message(problem));
      },
    };
  }
  return {
    ...base,
    validateStack: (args, reportViolation) => {
      const resources = args.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.props, parent: r.opts.parent, urn: r.urn }));
      for (const v of rule.check(resources)) {
        const urn = resources.find((r) => r.type === v.resource?.type && r.name === v.resource?.name)?.urn;
        reportViolation(message(v.message), urn);
      }
    },
  };
}

export function packArgs(rules: readonly Rule[] = RULES): PolicyPackArgs {
  return { description: "GameMetrics Pro guard rails: security, resilience and cost per tier", policies: rules.map(toPolicy) };
}

import { evaluate } from "../../policies/engine/evaluate";
import { levelsFor } from "../../policies/engine/levels";
import { TIER_NAMES, type Rule } from "../../policies/engine/types";
import { RULES } from "../../policies/rules";
import { CASES } from "./cases";
import type { Stack } from "./cases/support";

const mandatory = (rule: Rule) => ({ [rule.name]: "mandatory" as const });
const run = (rule: Rule, stack: Stack) => evaluate(stack, [rule], mandatory(rule));
const describeStack = (stack: Stack) => stack.map((r) => `${r.type} ${JSON.stringify(r.inputs)}`).join("\n");

describe("the rule set", () => {
  it("has at least 35 rules with unique names, a description, a remediation and a level per tier", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(35);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.remediation.length).toBeGreaterThan(10);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
      for (const tier of TIER_NAMES) expect(["mandatory", "advisory", "disabled"]).toContain(rule.levels[tier]);
    }
  });

  it("has a compliant and a non-compliant case for every rule, and no case for a rule that does not exist", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.name).sort());
  });
});

describe.each(RULES.map((r) => [r.name, r] as const))("%s", (_, rule) => {
  const { pass, fail } = CASES[rule.name];

  it("accepts compliant inputs", () => {
    expect(pass.length).toBeGreaterThan(0);
    for (const stack of pass) {
      const findings = run(rule, stack);
      if (findings.length > 0) throw new Error(`unexpected ${JSON.stringify(findings)} for\n${describeStack(stack)}`);
    }
  });

  it("reports each non-compliant input, naming the rule and its remediation", () => {
    expect(fail.length).toBeGreaterThan(0);
    for (const stack of fail) {
      const findings = run(rule, stack);
      if (findings.length === 0) throw new Error(`no finding for\n${describeStack(stack)}`);
      for (const f of findings) {
        expect(f).toMatchObject({ rule: rule.name, level: "mandatory", remediation: rule.remediation });
        expect(f.message.length).toBeGreaterThan(0);
      }
    }
  });

  it("reports at the tier's level, or not at all where the tier disables it", () => {
    for (const tier of TIER_NAMES) {
      const levels = levelsFor([rule], tier);
      const findings = evaluate(fail[0], [rule], levels);
      if (rule.levels[tier] === "disabled") expect(findings).toEqual([]);
      else expect(new Set(findings.map((f) => f.level))).toEqual(new Set([rule.levels[tier]]));
    }
  });
});

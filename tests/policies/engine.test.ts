import * as fs from "fs";
import * as path from "path";
import { evaluate } from "../../policies/engine/evaluate";
import { applyPackConfig, levelsFor, PACK_CONFIG_FILE, rulesTable } from "../../policies/engine/levels";
import { resourceRule } from "../../policies/engine/define";
import { TIER_NAMES, type PolicyResource, type Rule } from "../../policies/engine/types";
import { toPolicy } from "../../policies/pack";
import { RULES } from "../../policies/rules";
import { packConfigText } from "../../infra/tools/policy-gate";

/** The engine's marker for a value unknown at preview (what a real `pulumi preview` sends). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const rule = (name: string): Rule => {
  const found = RULES.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no rule ${name}`);
  return found;
};
const all = (level: "mandatory" | "advisory" | "disabled") => Object.fromEntries(RULES.map((r) => [r.name, level]));

describe("evaluate: values unknown at preview", () => {
  const primary = (multiAz: unknown): PolicyResource => ({
    type: "aws:rds/instance:Instance",
    name: "postgres",
    inputs: { multiAz, instanceClass: UNKNOWN, storageEncrypted: true, tags: { project: "p", env: "e", tier: "t" } },
  });

  it("turns a rule that reads an unknown value into an advisory 'can't run' finding, as the policy runtime does", () => {
    const findings = evaluate([primary(UNKNOWN)], [rule("rds-multi-az")], all("mandatory"));
    expect(findings).toEqual([expect.objectContaining({ rule: "rds-multi-az", level: "advisory", message: expect.stringMatching(/can't run during preview.*\.multiAz/) })]);
  });

  it("still judges rules that only read known values of the same resource", () => {
    expect(evaluate([primary(false)], [rule("rds-multi-az"), rule("rds-storage-encrypted")], all("mandatory"))).toEqual([
      expect.objectContaining({ rule: "rds-multi-az", level: "mandatory", message: "multiAz is not true" }),
    ]);
  });

  it("applies the same to stack rules (a bucket link unknown at preview)", () => {
    const stack: PolicyResource[] = [
      { type: "aws:s3/bucket:Bucket", name: "logs", inputs: { bucket: "gm-logs" } },
      { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "pab", inputs: { bucket: UNKNOWN } },
    ];
    const findings = evaluate(stack, [rule("s3-public-access-block")], all("mandatory"));
    expect(findings).toEqual([expect.objectContaining({ level: "advisory", message: expect.stringContaining("can't run during preview") })]);
  });
});

describe("evaluate: levels and errors", () => {
  const exploding = resourceRule({
    name: "test-explodes",
    description: "throws on purpose",
    remediation: "none needed",
    levels: { free: "disabled", production: "mandatory" },
    appliesTo: ["aws:ec2/vpc:Vpc"],
    check: () => {
      throw new Error("boom");
    },
  });
  const vpc: PolicyResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: {} };

  it("skips disabled rules entirely", () => {
    expect(evaluate([vpc], [exploding], levelsFor([exploding], "free"))).toEqual([]);
  });

  it("names the rule and resource when a rule fails for another reason", () => {
    expect(() => evaluate([vpc], [exploding], levelsFor([exploding], "production"))).toThrow("policy test-explodes failed on aws:ec2/vpc:Vpc vpc: boom");
  });

  it("refuses to guess a level the caller did not give", () => {
    expect(() => evaluate([vpc], [exploding], {})).toThrow("no enforcement level for rule test-explodes");
  });
});

describe("policy pack config (free.json, prod.json, --policy-config)", () => {
  it.each(TIER_NAMES.map((t) => [t, PACK_CONFIG_FILE[t]]))("%s: %s holds the typed levels (regenerate with npm run policy -- --write-pack-config)", (tier, file) => {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", "policies", file), "utf8");
    expect(text).toBe(packConfigText(tier));
    expect(Object.keys(JSON.parse(text) as object)).toHaveLength(RULES.length);
  });

  it("applies per-rule overrides in both accepted shapes, and `all`", () => {
    const base = levelsFor(RULES, "free");
    const out = applyPackConfig(base, { "kafka-no-msk-on-free": "advisory", "net-flow-logs": { enforcementLevel: "mandatory" } });
    expect(out["kafka-no-msk-on-free"]).toBe("advisory");
    expect(out["net-flow-logs"]).toBe("mandatory");
    expect(out["rds-not-public"]).toBe(base["rds-not-public"]);
    expect(new Set(Object.values(applyPackConfig(base, { all: "disabled" })))).toEqual(new Set(["disabled"]));
    const allButOne = applyPackConfig(base, { "rds-not-public": "mandatory", all: "advisory" });
    expect(allButOne["rds-not-public"]).toBe("mandatory");
    expect(allButOne["net-no-open-ingress"]).toBe("advisory");
  });

  it("rejects an unknown rule or level, naming the key, the value and what is allowed", () => {
    const base = levelsFor(RULES, "free");
    expect(() => applyPackConfig(base, { "rds-public": "advisory" })).toThrow(/policy config keys that name no rule: "rds-public"; allowed: all, net-no-open-ingress/);
    expect(() => applyPackConfig(base, { "rds-not-public": "warn" })).toThrow('policy config rds-not-public is "warn"; allowed: mandatory, advisory, disabled');
    expect(() => applyPackConfig(base, ["x"])).toThrow("allowed: an object of rule name -> level");
  });
});

describe("rules table", () => {
  it("lists every rule with its level per tier in markdown", () => {
    const lines = rulesTable(RULES, true).split("\n");
    expect(lines[0]).toBe("| Rule | Free | Production | Scope | Requires | Remediation |");
    expect(lines).toHaveLength(RULES.length + 2);
    const rds = lines.find((l) => l.startsWith("| `rds-multi-az` |"));
    expect(rds).toContain("| disabled | mandatory | resource |");
  });
});

describe("the @pulumi/policy adapter (what a real preview runs)", () => {
  const args = (type: string, props: Record<string, unknown>) => ({
    type,
    props,
    name: "postgres",
    urn: `urn:pulumi:prod::gamemetrics::${type}::postgres`,
    opts: { parent: undefined },
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  });

  it("defaults to the production level and reports violations with the remediation", () => {
    const policy = toPolicy(rule("rds-multi-az"));
    expect(policy.enforcementLevel).toBe("mandatory");
    if (!("validateResource" in policy) || typeof policy.validateResource !== "function") throw new Error("not a resource policy");
    const validate = policy.validateResource;
    const reported: string[] = [];
    void validate(args("aws:rds/instance:Instance", { multiAz: false }) as never, (m: string) => reported.push(m));
    expect(reported).toEqual([`multiAz is not true. Fix: ${rule("rds-multi-az").remediation}`]);
    expect(() => validate(args("aws:ec2/vpc:Vpc", {}) as never, () => undefined)).toThrow("not applicable: applies to aws:rds/instance:Instance");
  });

  it("reports stack violations against the offending resource's URN", () => {
    const policy = toPolicy(rule("ecr-lifecycle-policy"));
    if (!("validateStack" in policy)) throw new Error("not a stack policy");
    const repo = { type: "aws:ecr/repository:Repository", name: "ecr-users", props: { name: "gm/users" }, urn: "urn:repo", opts: { parent: undefined } };
    const reported: [string, string | undefined][] = [];
    void policy.validateStack({ resources: [repo] } as never, (m: string, urn?: string) => reported.push([m, urn]));
    expect(reported).toEqual([[expect.stringContaining("repository without a lifecycle policy"), "urn:repo"]]);
  });
});

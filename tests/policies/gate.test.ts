import { type GateResult, runGate } from "../../infra/tools/policy-gate";
import { cachedCapture } from "../support/captures";

/**
 * The gate over the real program: each stack and each weakened config goes through runGate (config
 * resolution, capture, every rule at the tier's levels), with captures from the shared on-disk cache.
 * The CLI contract itself (exit codes, output) is in gate-cli.test.ts.
 */
const gate = (stack: string, config: string[] = [], policyConfig?: unknown) => runGate({ stack, config, policyConfig, capture: cachedCapture });
const mandatoryRules = (r: GateResult) => [...new Set(r.findings.filter((f) => f.level === "mandatory").map((f) => f.rule))];
/** Mandatory rules a weakened run adds over its stack's own run: exactly what the override broke. */
const added = (weakened: GateResult, baseline: GateResult) => mandatoryRules(weakened).filter((rule) => !mandatoryRules(baseline).includes(rule));

const MSK_ALLOWED = { "kafka-no-msk-on-free": { enforcementLevel: "advisory" } };
const results = {} as Record<"dev" | "staging" | "prod" | "prodSingleAz" | "prodPublicEndpoint" | "devBigRds" | "devMsk" | "devMskAllowed", GateResult>;

beforeAll(async () => {
  // One after another: captures share the Pulumi runtime of this process.
  results.dev = await gate("dev");
  results.staging = await gate("staging");
  results.prod = await gate("prod");
  results.prodSingleAz = await gate("prod", ["gamemetrics:rds.multiAz=false"]);
  results.prodPublicEndpoint = await gate("prod", ["gamemetrics:eks.endpointPublicAccess=true", 'gamemetrics:eks.publicAccessCidrs=["0.0.0.0/0"]']);
  results.devBigRds = await gate("dev", ["gamemetrics:rds.instanceClass=db.r5.large"]);
  results.devMsk = await gate("dev", ["gamemetrics:kafka.mode=msk"]);
  results.devMskAllowed = await gate("dev", ["gamemetrics:kafka.mode=msk"], MSK_ALLOWED);
}, 600_000);

describe("the three stacks pass the gate", () => {
  it.each([
    ["dev", "free"],
    ["staging", "production"],
    ["prod", "production"],
  ] as const)("%s (%s tier): no mandatory violation", (stack, tier) => {
    const r = results[stack];
    expect(r).toMatchObject({ stack, tier });
    expect(r.findings.filter((f) => f.level === "mandatory")).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it("runs the production-only rules on staging and prod, and the free-only ones on dev", () => {
    expect(results.prod.levels["rds-multi-az"]).toBe("mandatory");
    expect(results.staging.levels["k8s-pdb"]).toBe("mandatory");
    expect(results.dev.levels["rds-multi-az"]).toBe("disabled");
    expect(results.dev.levels["cost-free-rds"]).toBe("mandatory");
  });

  it("reports the free tier's public EKS endpoint as advisory on dev (mandatory only in production)", () => {
    expect(results.dev.findings).toContainEqual(expect.objectContaining({ rule: "eks-endpoint-restricted", level: "advisory" }));
  });
});

describe("weakened config fails the gate, naming the rule", () => {
  it("prod without RDS Multi-AZ -> rds-multi-az on the primary", () => {
    expect(results.prodSingleAz.passed).toBe(false);
    expect(added(results.prodSingleAz, results.prod)).toEqual(["rds-multi-az"]);
    expect(results.prodSingleAz.findings.filter((f) => f.rule === "rds-multi-az").map((f) => f.resource)).toEqual([
      { type: "aws:rds/instance:Instance", name: "gamemetrics-prod-postgres" },
    ]);
  });

  it("prod with a public EKS endpoint open to 0.0.0.0/0 -> eks-endpoint-restricted on the cluster", () => {
    expect(added(results.prodPublicEndpoint, results.prod)).toEqual(["eks-endpoint-restricted"]);
    expect(results.prodPublicEndpoint.findings).toContainEqual(
      expect.objectContaining({ rule: "eks-endpoint-restricted", level: "mandatory", message: "public endpoint open to 0.0.0.0/0", resource: { type: "eks:index:Cluster", name: "cluster" } }),
    );
  });

  it("dev with db.r5.large -> cost-free-rds (outside the free allow-list)", () => {
    expect(added(results.devBigRds, results.dev)).toEqual(["cost-free-rds"]);
    expect(results.devBigRds.findings.filter((f) => f.rule === "cost-free-rds").map((f) => f.message)).toEqual([
      "instance class db.r5.large is outside the free allow-list",
    ]);
  });

  it("dev on MSK -> kafka-no-msk-on-free (MSK is never free)", () => {
    expect(added(results.devMsk, results.dev)).toEqual(["kafka-no-msk-on-free"]);
    expect(results.devMsk.findings.find((f) => f.rule === "kafka-no-msk-on-free")?.resource?.type).toBe("aws:msk/cluster:Cluster");
  });

  it("an explicit exception in a policy config (MSK allowed on free) lowers that rule to advisory and nothing else", () => {
    const r = results.devMskAllowed;
    expect(r.levels["kafka-no-msk-on-free"]).toBe("advisory");
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: "kafka-no-msk-on-free", level: "advisory" }));
    expect(mandatoryRules(r)).toEqual(mandatoryRules(results.devMsk).filter((rule) => rule !== "kafka-no-msk-on-free"));
  });
});

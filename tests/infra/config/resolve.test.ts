import { ConfigError, rawFromConfigMap, resolveConfig, SECTIONS, tierDefaults } from "../../../infra/config";

/** The production tier needs an ACM certificate; everything else has a default. */
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const DEPLOYER = ["203.0.113.10/32"];
const PRODUCTION = { tier: "production", ingress: { certificateArn: CERT }, eks: { publicAccessCidrs: DEPLOYER } };

function problems(raw: Record<string, unknown>): string[] {
  try {
    resolveConfig("test", raw);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("tier selection", () => {
  it.each([[undefined], ["gold"], [3]])("rejects tier %p naming the allowed tiers", (tier) => {
    expect(problems({ tier })).toEqual([`gamemetrics:tier is ${JSON.stringify(tier) ?? "undefined"}; allowed: "free", "production"`]);
  });

  it("gives each tier its own profile", () => {
    expect(resolveConfig("dev", { tier: "free" }).profile).toEqual(tierDefaults("free"));
    expect(resolveConfig("prod", PRODUCTION).profile).toEqual({
      ...tierDefaults("production"),
      ingress: { ...tierDefaults("production").ingress, certificateArn: CERT },
      eks: { ...tierDefaults("production").eks, publicAccessCidrs: DEPLOYER },
    });
    expect(tierDefaults("free")).not.toEqual(tierDefaults("production"));
  });

  it("never shares state between resolutions", () => {
    resolveConfig("a", { tier: "free", rds: { readReplicas: 1, backupRetentionDays: 3 } });
    expect(resolveConfig("b", { tier: "free" }).profile.rds.readReplicas).toBe(0);
  });
});

describe("the seed sizing table", () => {
  const free = tierDefaults("free");
  const prod = tierDefaults("production");
  it("free tier is the cheapest shape that runs", () => {
    // t3.medium: the smallest node on which the platform fits three nodes (tests/infra/capacity).
    expect(free.eks.nodeInstanceTypes).toEqual(["t3.medium"]);
    expect(free.rds).toMatchObject({ instanceClass: "db.t3.micro", multiAz: false, storageType: "gp2", allocatedStorageGb: 20, backupRetentionDays: 1 });
    expect(free.redis).toMatchObject({ nodeType: "cache.t3.micro", shards: 1, replicasPerShard: 0 });
    expect(free.network).toMatchObject({ azCount: 2, workloadAzCount: 1, natGateways: "single" });
  });
  it("production tier is multi-AZ, replicated and backed up", () => {
    expect(prod.eks.nodeInstanceTypes[0]).toBe("m5.xlarge");
    expect(prod.rds).toMatchObject({ instanceClass: "db.r5.xlarge", multiAz: true, readReplicas: 2, deletionProtection: true });
    expect(prod.rds.backupRetentionDays).toBeGreaterThanOrEqual(7);
    expect(prod.redis).toMatchObject({ nodeType: "cache.r6g.xlarge", clusterMode: true, shards: 3, replicasPerShard: 1, automaticFailover: true, multiAz: true });
    expect(prod.network).toMatchObject({ azCount: 3, workloadAzCount: 3, natGateways: "perAz", flowLogs: true });
  });
});

describe("overrides", () => {
  it("overrides one value and keeps the rest of the tier", () => {
    const { profile } = resolveConfig("staging", { ...PRODUCTION, rds: { readReplicas: 1 } });
    expect(profile.rds.readReplicas).toBe(1);
    expect(profile.rds.instanceClass).toBe("db.r5.xlarge");
  });

  it("treats 0 and false as values, not as absent", () => {
    const { profile } = resolveConfig("staging", { ...PRODUCTION, rds: { readReplicas: 0, performanceInsights: false } });
    expect(profile.rds.readReplicas).toBe(0);
    expect(profile.rds.performanceInsights).toBe(false);
  });

  it("rejects an unknown top-level key naming the allowed ones", () => {
    const [p] = problems({ tier: "free", databse: {} });
    expect(p).toMatch(/^gamemetrics:databse is not a known key; allowed: .*\brds\b/);
  });

  it("rejects an unknown field naming the section's fields", () => {
    expect(problems({ tier: "free", rds: { instanceType: "db.t3.micro" } })).toEqual([
      `gamemetrics:rds.instanceType is not a known key; allowed: ${Object.keys(SECTIONS.rds.fields).join(", ")}`,
    ]);
  });

  it("rejects a section that is not an object", () => {
    expect(problems({ tier: "free", eks: "big" })[0]).toMatch(/^gamemetrics:eks is "big"; allowed: an object with keys version, /);
  });

  it.each([
    [{ rds: { readReplicas: "2" } }, 'gamemetrics:rds.readReplicas is "2"; allowed: an integer from 0 to 5'],
    [{ rds: { readReplicas: 1.5 } }, "gamemetrics:rds.readReplicas is 1.5; allowed: an integer from 0 to 5"],
    [{ rds: { multiAz: "yes" } }, 'gamemetrics:rds.multiAz is "yes"; allowed: true or false'],
    [{ rds: { storageType: "io1" } }, 'gamemetrics:rds.storageType is "io1"; allowed: one of "gp2", "gp3"'],
    [{ rds: { instanceClass: "r5.xlarge" } }, 'gamemetrics:rds.instanceClass is "r5.xlarge"; allowed: an RDS instance class such as db.r5.xlarge'],
    [{ network: { natGateways: "none" } }, 'gamemetrics:network.natGateways is "none"; allowed: one of "single", "perAz"'],
    [{ network: { vpcCidr: "10.0.0.0/33" } }, 'gamemetrics:network.vpcCidr is "10.0.0.0/33"; allowed: an IPv4 CIDR from /16 to /22 with no host bits set, such as 10.0.0.0/16'],
    [{ network: { vpcCidr: "10.0.0.0/24" } }, 'gamemetrics:network.vpcCidr is "10.0.0.0/24"; allowed: an IPv4 CIDR from /16 to /22 with no host bits set, such as 10.0.0.0/16'],
    [{ eks: { nodeInstanceTypes: [] } }, "gamemetrics:eks.nodeInstanceTypes is []; allowed: a list (at least 1) of an EC2 instance type such as m5.large"],
    [{ eks: { logTypes: ["api", "kubelet"] } }, 'gamemetrics:eks.logTypes is ["api","kubelet"]; allowed: a list (at least 0) of one of "api", "audit", "authenticator", "controllerManager", "scheduler"'],
    [{ redis: { nodeType: "t3.micro" } }, 'gamemetrics:redis.nodeType is "t3.micro"; allowed: an ElastiCache node type such as cache.r6g.xlarge'],
  ])("rejects %j with a precise message", (override, message) => {
    expect(problems({ tier: "free", ...override })).toEqual([message]);
  });

  it("reports every bad value at once", () => {
    expect(problems({ tier: "free", rds: { readReplicas: -1, multiAz: 1 }, redis: { shards: 0 } })).toHaveLength(3);
  });
});

describe("impossible combinations", () => {
  it.each([
    ["production", { network: { azCount: 2, workloadAzCount: 2 } }, "gamemetrics:network.azCount is 2 on the production tier; allowed: 3 or more"],
    ["free", { network: { workloadAzCount: 3 } }, "gamemetrics:network.workloadAzCount (3) exceeds gamemetrics:network.azCount (2); allowed: at most 2"],
    ["free", { rds: { multiAz: true } }, "gamemetrics:rds.multiAz is true with gamemetrics:network.workloadAzCount 1; allowed: multiAz false, or workloadAzCount 2 or more"],
    ["production", { network: { workloadAzCount: 1 }, rds: { multiAz: true }, redis: { multiAz: false } }, "gamemetrics:rds.multiAz is true with gamemetrics:network.workloadAzCount 1; allowed: multiAz false, or workloadAzCount 2 or more"],
    ["production", { rds: { allocatedStorageGb: 500, maxAllocatedStorageGb: 100 } }, "gamemetrics:rds.maxAllocatedStorageGb (100) is below gamemetrics:rds.allocatedStorageGb (500); allowed: 500 or more"],
    ["production", { rds: { backupRetentionDays: 0 } }, "gamemetrics:rds.readReplicas is 2 with gamemetrics:rds.backupRetentionDays 0; allowed: backupRetentionDays 1 or more (read replicas need automated backups)"],
    ["free", { eks: { nodeMinCount: 5 } }, "gamemetrics:eks node counts min 5, desired 3, max 5; allowed: nodeMinCount <= nodeDesiredCount <= nodeMaxCount"],
    ["production", { eks: { publicAccessCidrs: [] } }, "gamemetrics:eks.endpointPublicAccess is true with an empty gamemetrics:eks.publicAccessCidrs; allowed: the deployer's egress CIDRs (CI runner, office), or endpointPublicAccess false once the deployer runs inside the VPC (deployerInVpc true)"],
    // The deployer cannot be inside a VPC this stack has not created yet.
    ["production", { eks: { endpointPublicAccess: false } }, "gamemetrics:eks.endpointPublicAccess is false with gamemetrics:eks.deployerInVpc false: the deployer cannot reach a private-only Kubernetes API (this stack creates the VPC); allowed: endpointPublicAccess true with the deployer's CIDRs in publicAccessCidrs (the first up), or deployerInVpc true when pulumi up runs inside the VPC"],
    ["production", { redis: { automaticFailover: false } }, "gamemetrics:redis.multiAz is true with gamemetrics:redis.automaticFailover false; allowed: automaticFailover true when multiAz is true"],
    ["free", { redis: { automaticFailover: true } }, "gamemetrics:redis.automaticFailover is true with gamemetrics:redis.replicasPerShard 0; allowed: replicasPerShard 1 or more"],
    ["free", { redis: { shards: 2 } }, "gamemetrics:redis.shards is 2 with gamemetrics:redis.clusterMode false; allowed: 1 shard unless clusterMode is true"],
    ["production", { ingress: { certificateArn: "" } }, 'gamemetrics:ingress.certificateArn is "" on the production tier; allowed: an ACM certificate ARN (HTTP only is for the free tier)'],
  ])("%s with %j is refused", (tier, override, message) => {
    const base = tier === "production" ? PRODUCTION : { tier };
    expect(problems({ ...base, ...override })).toContain(message);
  });
});

describe("rawFromConfigMap", () => {
  it("keeps only the gamemetrics namespace and decodes structured values", () => {
    expect(rawFromConfigMap({ "aws:region": "us-east-1", "gamemetrics:tier": "free", "gamemetrics:rds": '{"readReplicas":1}' })).toEqual({
      tier: "free",
      rds: { readReplicas: 1 },
    });
  });
});

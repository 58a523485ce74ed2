import { rawFromConfigMap, resolveConfig, type RawConfig } from "../../../infra/config";
import { readStackConfig } from "../../../infra/tools/stack-config";
import { configProblems as problems } from "../config-problems";

/**
 * A stack file's config with section overrides merged in: the prod file is a valid production
 * base (it carries what other sections require there, such as the ingress certificate).
 */
function stackWith(stack: "dev" | "prod", overrides: Record<string, Record<string, unknown>> = {}): RawConfig {
  const base = rawFromConfigMap(readStackConfig(stack).values) as Record<string, unknown>;
  const merged = { ...base };
  for (const [section, fields] of Object.entries(overrides)) merged[section] = { ...(base[section] as object | undefined), ...fields };
  return merged;
}

describe("data config fields", () => {
  it.each([
    [{ storage: { secretRecoveryDays: 3 } }, "gamemetrics:storage.secretRecoveryDays is 3; allowed: 0 (delete at once) or an integer from 7 to 30"],
    [{ storage: { secretRecoveryDays: 31 } }, "gamemetrics:storage.secretRecoveryDays is 31; allowed: 0 (delete at once) or an integer from 7 to 30"],
    [{ storage: { secretRecoveryDays: "7" } }, 'gamemetrics:storage.secretRecoveryDays is "7"; allowed: 0 (delete at once) or an integer from 7 to 30'],
    [{ storage: { ecrKeepImages: 0 } }, "gamemetrics:storage.ecrKeepImages is 0; allowed: an integer from 1 to 1000"],
    [{ storage: { archiveGlacierAfterDays: -1 } }, "gamemetrics:storage.archiveGlacierAfterDays is -1; allowed: an integer from 0 to 3653"],
    [{ redis: { engineVersion: "6.2" } }, 'gamemetrics:redis.engineVersion is "6.2"; allowed: one of "7.0", "7.1"'],
    [{ redis: { engineVersion: 7.1 } }, 'gamemetrics:redis.engineVersion is 7.1; allowed: one of "7.0", "7.1"'],
    [{ rds: { cloudwatchLogs: "yes" } }, 'gamemetrics:rds.cloudwatchLogs is "yes"; allowed: true or false'],
    [{ rds: { logRetentionDays: 10 } }, "gamemetrics:rds.logRetentionDays is 10; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days CloudWatch Logs accepts)"],
    [{ rds: { engineVersion: "14" } }, 'gamemetrics:rds.engineVersion is "14"; allowed: one of "15", "16", "17"'],
  ])("rejects %j naming key, value and allowed values", (override, message) => {
    expect(problems(stackWith("dev", override))).toEqual([message]);
  });

  it.each([0, 7, 30])("accepts secretRecoveryDays %i", (days) => {
    expect(resolveConfig("test", stackWith("dev", { storage: { secretRecoveryDays: days } })).profile.storage.secretRecoveryDays).toBe(days);
  });

  it("keeps secrets recoverable in production and frees names at once on free", () => {
    expect(resolveConfig("prod", stackWith("prod")).profile.storage.secretRecoveryDays).toBe(30);
    expect(resolveConfig("dev", stackWith("dev")).profile.storage.secretRecoveryDays).toBe(0);
  });

  it("accepts a single-size override and keeps the other tier defaults", () => {
    const { profile } = resolveConfig("staging", stackWith("prod", { redis: { engineVersion: "7.0" }, rds: { cloudwatchLogs: false } }));
    expect(profile.redis).toMatchObject({ engineVersion: "7.0", nodeType: "cache.r6g.xlarge" });
    expect(profile.rds).toMatchObject({ cloudwatchLogs: false, performanceInsights: true });
  });
});

describe("data config combinations", () => {
  it("refuses cluster mode without automatic failover", () => {
    expect(problems(stackWith("prod", { redis: { automaticFailover: false, multiAz: false } }))).toEqual([
      "gamemetrics:redis.clusterMode is true with gamemetrics:redis.automaticFailover false; allowed: automaticFailover true when clusterMode is true (ElastiCache requires it)",
    ]);
  });

  it("refuses Redis Multi-AZ when workloads run in one AZ", () => {
    expect(problems(stackWith("prod", { network: { workloadAzCount: 1 }, rds: { multiAz: false } }))).toEqual([
      "gamemetrics:redis.multiAz is true with gamemetrics:network.workloadAzCount 1; allowed: multiAz false, or workloadAzCount 2 or more",
    ]);
  });

  it("accepts the free tier scaled up to a replicated, non-sharded Redis", () => {
    expect(problems(stackWith("dev", { redis: { replicasPerShard: 1, automaticFailover: true } }))).toEqual([]);
  });
});

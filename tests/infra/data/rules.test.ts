import { tierDefaults } from "../../../infra/config";
import { ABORT_MULTIPART_DAYS, BUCKET_KINDS, lifecycleRules, tlsOnlyPolicy, VERSIONED } from "../../../infra/data/bucket-rules";
import {
  logExports,
  logGroupNames,
  maxAllocatedStorage,
  parameterFamily,
  postgresParameters,
  postgresSecret,
  primaryAz,
  replicaAz,
} from "../../../infra/data/postgres-settings";
import { AUTH_TOKEN_SPECIALS, defaultParameterGroup, preferredCacheAzs, redisNodeCount, redisSecret, redisTopology } from "../../../infra/data/redis-settings";
import { ecrLifecyclePolicy, repositoryName, UNTAGGED_EXPIRY_DAYS } from "../../../infra/data/registry";

const free = tierDefaults("free");
const production = tierDefaults("production");

describe("bucket lifecycle rules", () => {
  it("every bucket aborts incomplete multipart uploads, over all objects", () => {
    for (const kind of BUCKET_KINDS) {
      const rules = lifecycleRules(kind, free.storage);
      expect(rules[0]).toEqual({ id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS } });
      for (const r of rules) expect(r.filter).toEqual({});
    }
  });

  it("versioned buckets expire noncurrent versions after the profile's days and clean delete markers", () => {
    expect(VERSIONED).toEqual({ backups: true, logs: false, archives: true });
    const rule = lifecycleRules("backups", { ...production.storage, noncurrentVersionDays: 45 }).find((r) => r.id === "expire-noncurrent-versions");
    expect(rule).toMatchObject({ noncurrentVersionExpiration: { noncurrentDays: 45 }, expiration: { expiredObjectDeleteMarker: true } });
    expect(lifecycleRules("logs", production.storage).map((r) => r.id)).not.toContain("expire-noncurrent-versions");
  });

  it("logs expire after logsExpirationDays on each tier", () => {
    expect(lifecycleRules("logs", free.storage).find((r) => r.id === "expire-logs")?.expiration).toEqual({ days: free.storage.logsExpirationDays });
    expect(lifecycleRules("logs", { ...production.storage, logsExpirationDays: 400 }).find((r) => r.id === "expire-logs")?.expiration).toEqual({ days: 400 });
    expect(lifecycleRules("backups", free.storage).map((r) => r.id)).not.toContain("expire-logs");
  });

  it("archives move to Glacier after N days, and stay in Standard when N is 0", () => {
    expect(lifecycleRules("archives", { ...production.storage, archiveGlacierAfterDays: 60 }).find((r) => r.id === "archive-to-glacier")).toEqual({
      id: "archive-to-glacier",
      status: "Enabled",
      filter: {},
      transitions: [{ days: 60, storageClass: "GLACIER_IR" }],
    });
    expect(lifecycleRules("archives", { ...production.storage, archiveGlacierAfterDays: 0 }).some((r) => r.transitions !== undefined)).toBe(false);
    expect(lifecycleRules("backups", production.storage).some((r) => r.transitions !== undefined)).toBe(false);
  });

  it("rule ids are unique per bucket (S3 rejects duplicates)", () => {
    for (const kind of BUCKET_KINDS) {
      const ids = lifecycleRules(kind, production.storage).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});

describe("tlsOnlyPolicy", () => {
  it("denies any request without TLS on the bucket and its objects", () => {
    const policy = JSON.parse(tlsOnlyPolicy("arn:aws:s3:::b1"));
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });
});

describe("ecrLifecyclePolicy", () => {
  it("expires untagged images first, then keeps only the newest N (the `any` rule last, as ECR requires)", () => {
    const { rules } = JSON.parse(ecrLifecyclePolicy(25));
    expect(rules.map((r: { rulePriority: number }) => r.rulePriority)).toEqual([1, 2]);
    expect(rules[0].selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_EXPIRY_DAYS });
    expect(rules[1].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 25 });
    for (const r of rules) expect(r.action).toEqual({ type: "expire" });
  });

  it("names repositories per stack so stacks sharing an account do not collide", () => {
    expect(repositoryName("gamemetrics-dev", "ingestion")).toBe("gamemetrics-dev/ingestion");
  });
});

describe("postgres settings", () => {
  it("forces TLS, preloads pg_cron next to pg_stat_statements, and follows logicalReplication", () => {
    const off = postgresParameters({ logicalReplication: false, dbName: "gm" });
    const byName = Object.fromEntries(off.map((p) => [p.name, p]));
    expect(byName["rds.force_ssl"]).toEqual({ name: "rds.force_ssl", value: "1", applyMethod: "immediate" });
    expect(byName["shared_preload_libraries"].value.split(",").sort()).toEqual(["pg_cron", "pg_stat_statements"]);
    expect(byName["cron.database_name"].value).toBe("gm");
    expect(byName["rds.logical_replication"].value).toBe("0");
    const on = postgresParameters({ logicalReplication: true, dbName: "gm" });
    expect(on.find((p) => p.name === "rds.logical_replication")?.value).toBe("1");
    // Static parameters cannot apply immediately: RDS refuses the parameter group otherwise.
    for (const p of on.filter((x) => x.name !== "rds.force_ssl")) expect(p.applyMethod).toBe("pending-reboot");
  });

  it("derives the family, the autoscaling ceiling and the log exports from the profile", () => {
    expect(parameterFamily("15")).toBe("postgres15");
    expect(maxAllocatedStorage({ allocatedStorageGb: 20, maxAllocatedStorageGb: 20 })).toBe(0);
    expect(maxAllocatedStorage({ allocatedStorageGb: 200, maxAllocatedStorageGb: 1000 })).toBe(1000);
    expect(logExports({ cloudwatchLogs: true })).toEqual(["postgresql", "upgrade"]);
    expect(logExports({ cloudwatchLogs: false })).toEqual([]);
  });

  it("names the export log groups as RDS writes to them, none when exports are off", () => {
    expect(logGroupNames("db-1", { cloudwatchLogs: true })).toEqual([
      { logType: "postgresql", groupName: "/aws/rds/instance/db-1/postgresql" },
      { logType: "upgrade", groupName: "/aws/rds/instance/db-1/upgrade" },
    ]);
    expect(logGroupNames("db-1", { cloudwatchLogs: false })).toEqual([]);
  });

  it("keeps a single-AZ primary in the workload AZ and spreads replicas over the AZs after it", () => {
    const azs = ["a", "b", "c"];
    expect(primaryAz(azs, false)).toBe("a");
    expect(primaryAz(azs, true)).toBeUndefined();
    expect([0, 1, 2, 3].map((i) => replicaAz(azs, i))).toEqual(["b", "c", "a", "b"]);
    expect(() => replicaAz([], 0)).toThrow(/no availability zones/);
    expect(() => primaryAz([], false)).toThrow(/no availability zones/);
  });

  it("shapes the master secret as External Secrets reads it", () => {
    expect(postgresSecret("pw", "db.example")).toEqual({ username: "gamemetrics_admin", password: "pw", host: "db.example", port: 5432, dbname: "gamemetrics" });
  });
});

describe("redis settings", () => {
  it("lays out one primary with replicas when cluster mode is off", () => {
    const t = redisTopology({ ...free.redis, replicasPerShard: 2 });
    expect(t).toEqual({ clusterMode: "disabled", numCacheClusters: 3, parameterGroupName: "default.redis7" });
    expect(redisNodeCount(redisTopology(free.redis))).toBe(1);
  });

  it("shards with replicas per shard when cluster mode is on", () => {
    const t = redisTopology(production.redis);
    expect(t).toEqual({ clusterMode: "enabled", numNodeGroups: 3, replicasPerNodeGroup: 1, parameterGroupName: "default.redis7.cluster.on" });
    expect(redisNodeCount(t)).toBe(6);
  });

  it("picks the 7.x default parameter group, the cluster-enabled one in cluster mode", () => {
    expect(defaultParameterGroup(false)).toBe("default.redis7");
    expect(defaultParameterGroup(true)).toBe("default.redis7.cluster.on");
  });

  it("keeps non-Multi-AZ, non-sharded nodes in the workload AZ and leaves other layouts to ElastiCache", () => {
    expect(preferredCacheAzs(redisTopology(free.redis), false, ["a", "b"])).toEqual(["a"]);
    expect(preferredCacheAzs(redisTopology({ ...free.redis, replicasPerShard: 1 }), false, ["a", "b"])).toEqual(["a", "a"]);
    expect(preferredCacheAzs(redisTopology({ ...free.redis, replicasPerShard: 1 }), true, ["a", "b"])).toBeUndefined();
    expect(preferredCacheAzs(redisTopology(production.redis), false, ["a", "b", "c"])).toBeUndefined();
    expect(() => preferredCacheAzs(redisTopology(free.redis), false, [])).toThrow(/no availability zones/);
  });

  it("allows only the AUTH token specials ElastiCache accepts", () => {
    expect([...AUTH_TOKEN_SPECIALS].sort()).toEqual(["!", "#", "$", "&", "-", "<", ">", "^"]);
  });

  it("shapes the AUTH secret as External Secrets reads it, telling clients whether to use cluster mode", () => {
    expect(redisSecret("tok", "clustercfg.x", redisTopology(production.redis))).toEqual({ host: "clustercfg.x", port: 6379, password: "tok", tls: true, cluster: true });
    expect(redisSecret("tok", "master.x", redisTopology(free.redis)).cluster).toBe(false);
  });
});

import { APP_NAMES } from "../../../infra/config/sections/apps";
import { rawFromConfigMap, resolveConfig } from "../../../infra/config";
import { SECRET } from "../../../infra/tools/capture";
import { OUTPUTS } from "../../../infra/tools/mock-outputs";
import { readStackConfig } from "../../../infra/tools/stack-config";
import { taggable } from "../tree";
import { primaryOf, RDS, REDIS, replicasOf, type Stack, STACKS, stackViews, subnetGroupAzs } from "./view";

// What each stack's data layer is made of: sizing per tier, subnet groups, tags, secrets, registry, outputs.
const views = stackViews();
const TIER: Record<Stack, string> = { dev: "free", staging: "production", prod: "production" };
const MOCK_PASSWORD = (OUTPUTS["random:index/randomPassword:RandomPassword"]({ type: "", name: "", inputs: {} }, "") as { result: string }).result;

/** Whether the stack runs Debezium CDC, which needs logical replication on the primary. */
const cdcEnabled = (stack: Stack) => resolveConfig(stack, rawFromConfigMap(readStackConfig(stack).values)).profile.kafka.cdc;

describe("seed sizing per tier", () => {
  it("dev runs the free-tier shapes: db.t3.micro single-AZ gp2 20 GB, one cache.t3.micro", () => {
    const v = views.dev;
    const [primary] = primaryOf(v);
    expect(primaryOf(v)).toHaveLength(1);
    expect(primary.inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "16",
      instanceClass: "db.t3.micro",
      multiAz: false,
      storageType: "gp2",
      allocatedStorage: 20,
      maxAllocatedStorage: 0,
      backupRetentionPeriod: 1,
      deletionProtection: false,
      skipFinalSnapshot: true,
      performanceInsightsEnabled: false,
    });
    expect(replicasOf(v)).toHaveLength(0);
    // Single-AZ data sits with the workloads: the AZ of the first private subnet (workload subnets come first).
    const [firstPrivate] = v.ofType("aws:rds/subnetGroup:SubnetGroup")[0].inputs.subnetIds as string[];
    const workloadAz = v.byId("aws:ec2/subnet:Subnet", firstPrivate).inputs.availabilityZone;
    expect(workloadAz).toMatch(/^us-east-1[a-z]$/);
    expect(primary.inputs.availabilityZone).toBe(workloadAz);
    const [redis] = v.ofType(REDIS);
    expect(redis.inputs).toMatchObject({ nodeType: "cache.t3.micro", clusterMode: "disabled", numCacheClusters: 1, automaticFailoverEnabled: false });
    expect(redis.inputs.numNodeGroups).toBeUndefined();
    expect(redis.inputs.preferredCacheClusterAzs).toEqual([workloadAz]);
  });

  it.each(["staging", "prod"] as const)("%s runs the production shapes", (stack) => {
    const v = views[stack];
    const [primary] = primaryOf(v);
    expect(primary.inputs).toMatchObject({
      instanceClass: "db.r5.xlarge",
      multiAz: true,
      storageType: "gp3",
      backupRetentionPeriod: 7,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `gamemetrics-${stack}-postgres-final`,
      performanceInsightsEnabled: true,
      autoMinorVersionUpgrade: true,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    });
    expect(primary.inputs.maxAllocatedStorage as number).toBeGreaterThan(primary.inputs.allocatedStorage as number);
    const [redis] = v.ofType(REDIS);
    expect(redis.inputs).toMatchObject({
      nodeType: "cache.r6g.xlarge",
      clusterMode: "enabled",
      numNodeGroups: 3,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      parameterGroupName: "default.redis7.cluster.on",
      snapshotRetentionLimit: 7,
    });
    expect(redis.inputs.numCacheClusters).toBeUndefined();
    // Multi-AZ: RDS and ElastiCache place the standby and the shards themselves.
    expect(primary.inputs.availabilityZone).toBeUndefined();
    expect(redis.inputs.preferredCacheClusterAzs).toBeUndefined();
  });

  it.each([
    ["prod", 2],
    ["staging", 1],
  ] as const)("%s has %i read replica(s) of the primary, spread over AZs", (stack, count) => {
    const v = views[stack];
    const [primary] = primaryOf(v);
    const replicas = replicasOf(v);
    expect(replicas).toHaveLength(count);
    for (const replica of replicas) {
      expect(replica.inputs).toMatchObject({
        replicateSourceDb: primary.name,
        instanceClass: "db.r5.xlarge",
        publiclyAccessible: false,
        deletionProtection: false,
        skipFinalSnapshot: true,
      });
      // Same-region replicas inherit credentials and subnet group from the source.
      expect(replica.inputs.password).toBeUndefined();
      expect(replica.inputs.dbSubnetGroupName).toBeUndefined();
    }
    expect(new Set(replicas.map((r) => r.inputs.availabilityZone)).size).toBe(count);
  });

  it("archives go to Glacier in production only; logs expire on every tier", () => {
    const rules = (stack: Stack, kind: string) =>
      views[stack].one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `gamemetrics-${stack}-${kind}`).inputs.rules as {
        id: string;
        transitions?: unknown;
        expiration?: { days?: number };
      }[];
    expect(rules("prod", "archives").find((r) => r.id === "archive-to-glacier")?.transitions).toEqual([{ days: 30, storageClass: "GLACIER_IR" }]);
    expect(rules("dev", "archives").map((r) => r.id)).not.toContain("archive-to-glacier");
    expect(rules("dev", "logs").find((r) => r.id === "expire-logs")?.expiration).toEqual({ days: 7 });
    expect(rules("prod", "logs").find((r) => r.id === "expire-logs")?.expiration).toEqual({ days: 90 });
  });
});

describe.each(STACKS)("%s: subnet groups, tags, secrets, registry, outputs", (stack) => {
  it.each(["aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"])("%s spans 2+ AZs over private subnets only", (type) => {
    const v = views[stack];
    const [group] = v.ofType(type);
    const azs = subnetGroupAzs(v, group.inputs.subnetIds);
    expect(azs.length).toBeGreaterThanOrEqual(stack === "dev" ? 2 : 3);
    for (const id of group.inputs.subnetIds as string[]) expect(v.byId("aws:ec2/subnet:Subnet", id).name).toMatch(/private/);
    const service = type.startsWith("aws:rds") ? RDS : REDIS;
    const consumer = v.ofType(service)[0];
    expect(consumer.inputs[service === RDS ? "dbSubnetGroupName" : "subnetGroupName"]).toBe(group.name);
  });

  it("tags every taggable data resource with project, env and tier", () => {
    const resources = taggable(views[stack].data);
    expect(resources.length).toBeGreaterThan(10);
    for (const r of resources) {
      expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toEqual({
        resource: `${r.type} ${r.name}`,
        tags: expect.objectContaining({ project: "gamemetrics", env: stack, tier: TIER[stack] }),
      });
    }
  });

  it("keeps passwords and tokens secret in every input", () => {
    const v = views[stack];
    expect(primaryOf(v)[0].inputs.password).toBe(SECRET);
    expect(v.ofType(REDIS)[0].inputs.authToken).toBe(SECRET);
    const versions = v.dataOfType("aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions).toHaveLength(2);
    for (const version of versions) expect(version.inputs.secretString).toBe(SECRET);
    expect(JSON.stringify(v.capture)).not.toContain(MOCK_PASSWORD);
  });

  it("generates the Redis AUTH token only from characters ElastiCache accepts", () => {
    const token = views[stack].one("random:index/randomPassword:RandomPassword", `gamemetrics-${stack}-redis-auth`);
    expect(token.inputs).toMatchObject({ special: true, overrideSpecial: "!&#$^<>-" });
    expect(token.inputs.length as number).toBeGreaterThanOrEqual(16);
    expect(token.inputs.length as number).toBeLessThanOrEqual(128);
  });

  it("sets the parameter group: TLS forced, pg_cron preloaded, logical replication on exactly when CDC runs", () => {
    const v = views[stack];
    const group = v.one("aws:rds/parameterGroup:ParameterGroup", `gamemetrics-${stack}-postgres`);
    expect(group.inputs.family).toBe("postgres16");
    const params = Object.fromEntries((group.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    expect(params).toMatchObject({ "rds.force_ssl": "1", "rds.logical_replication": cdcEnabled(stack) ? "1" : "0" });
    expect(params.shared_preload_libraries.split(",")).toContain("pg_cron");
    for (const db of v.ofType(RDS)) expect(db.inputs.parameterGroupName).toBe(group.name);
  });

  it("has one immutable, scanned repository with a lifecycle policy per app", () => {
    const v = views[stack];
    const repos = v.dataOfType("aws:ecr/repository:Repository");
    expect(repos.map((r) => r.inputs.name)).toEqual(APP_NAMES.map((app) => `gamemetrics-${stack}/${app}`));
    for (const repo of repos) {
      expect(repo.inputs).toMatchObject({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });
      const policy = JSON.parse(v.one("aws:ecr/lifecyclePolicy:LifecyclePolicy", repo.name).inputs.policy as string);
      expect(policy.rules.at(-1).selection).toMatchObject({ tagStatus: "any", countNumber: stack === "dev" ? 10 : 50 });
    }
  });

  it("exports endpoints, secret ARNs, bucket names, repository URLs and the data key", () => {
    const out = views[stack].capture.outputs;
    expect(out.rdsEndpoint).toMatch(new RegExp(`^gamemetrics-${stack}-postgres\\..*\\.rds\\.amazonaws\\.com:5432$`));
    expect(out.rdsReaderAddresses).toHaveLength(replicasOf(views[stack]).length);
    expect(out.redisEndpoint).toMatch(stack === "dev" ? /^master\..*:6379$/ : /^clustercfg\..*:6379$/);
    expect(out.rdsSecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:.*:secret:gamemetrics-${stack}/data/postgres-master`));
    expect(out.redisSecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:.*:secret:gamemetrics-${stack}/data/redis-auth`));
    for (const kind of ["backups", "logs", "archives"]) expect(out[`${kind}Bucket`]).toMatch(new RegExp(`^gamemetrics-${stack}-${kind}`));
    expect(Object.keys(out.ecrRepositoryUrls as object)).toEqual([...APP_NAMES]);
    expect(out.dataKmsKeyArn).toMatch(/^arn:aws:kms:/);
  });
});

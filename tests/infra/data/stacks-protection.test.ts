import { primaryOf, RDS, REDIS, SG, STACKS, stackViews } from "./view";

// How each stack's data layer is protected: nothing publicly reachable, everything encrypted with the data key.
const views = stackViews();

describe.each(STACKS)("%s: nothing publicly reachable", (stack) => {
  it("every RDS instance is private and behind the Postgres security group only", () => {
    const v = views[stack];
    const [primary] = primaryOf(v);
    for (const db of v.ofType(RDS)) {
      expect(db.inputs.publiclyAccessible).toBe(false);
      expect((db.inputs.vpcSecurityGroupIds as string[]).map((id) => v.byId(SG, id).name)).toEqual([`gamemetrics-${stack}-postgres-sg`]);
    }
    expect(v.byId(SG, (primary.inputs.vpcSecurityGroupIds as string[])[0]).parent).toBe(`gamemetrics:data:Postgres::gamemetrics-${stack}-postgres`);
  });

  it("Redis sits behind its own security group", () => {
    const v = views[stack];
    const [redis] = v.ofType(REDIS);
    expect((redis.inputs.securityGroupIds as string[]).map((id) => v.byId(SG, id).name)).toEqual([`gamemetrics-${stack}-redis-sg`]);
  });

  it.each([
    ["postgres", 5432],
    ["redis", 6379],
  ] as const)("the %s security group admits port %i from the node security group only, and has no egress", (service, port) => {
    const v = views[stack];
    const sg = v.one(SG, `gamemetrics-${stack}-${service}-sg`);
    expect(sg.inputs.ingress).toEqual([
      { description: `port ${port} from EKS nodes`, protocol: "tcp", fromPort: port, toPort: port, securityGroups: [v.nodeSecurityGroupId()] },
    ]);
    expect(sg.inputs.egress).toBeUndefined();
    expect(v.byId("aws:ec2/vpc:Vpc", sg.inputs.vpcId).type).toBe("aws:ec2/vpc:Vpc");
  });

  it("every bucket blocks all public access and enforces owner-only ACLs", () => {
    const v = views[stack];
    const buckets = v.ofType("aws:s3/bucket:Bucket").filter((b) => b.parent?.startsWith("gamemetrics:data:SecureBucket::"));
    expect(buckets.map((b) => b.name).sort()).toEqual(["archives", "backups", "logs"].map((k) => `gamemetrics-${stack}-${k}`));
    for (const b of buckets) {
      const pab = v.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.name);
      expect(v.byId("aws:s3/bucket:Bucket", pab.inputs.bucket).name).toBe(b.name);
      expect(pab.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(v.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", b.name).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
      const policy = JSON.parse(v.one("aws:s3/bucketPolicy:BucketPolicy", b.name).inputs.policy as string);
      expect(policy.Statement).toEqual([
        expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      ]);
      expect(policy.Statement[0].Resource[0]).toMatch(new RegExp(`^arn:aws:s3:::${b.name}`));
    }
  });
});

describe.each(STACKS)("%s: encrypted at rest and in transit with the data key", (stack) => {
  const keyArn = () => views[stack].capture.outputs.dataKmsKeyArn;

  it("the data key rotates and is the one exported", () => {
    const v = views[stack];
    const key = v.one("aws:kms/key:Key", "data-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(keyArn()).toMatch(/^arn:aws:kms:/);
    expect(v.one("aws:kms/alias:Alias", "data-key").inputs.name).toBe(`alias/gamemetrics-${stack}-data`);
  });

  it("the data key lets CloudWatch Logs encrypt this account's log groups, and the account administer it", () => {
    const policy = JSON.parse(views[stack].one("aws:kms/key:Key", "data-key").inputs.policy as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*" }),
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "logs.us-east-1.amazonaws.com" },
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*" } },
      }),
    ]);
  });

  it("RDS log exports go to encrypted log groups with retention, one per instance and log type", () => {
    const v = views[stack];
    const groups = v.dataOfType("aws:cloudwatch/logGroup:LogGroup");
    const expected = stack === "dev" ? [] : v.ofType(RDS).flatMap((db) => ["postgresql", "upgrade"].map((t) => `/aws/rds/instance/${db.inputs.identifier}/${t}`));
    expect(groups.map((g) => g.inputs.name).sort()).toEqual(expected.sort());
    for (const g of groups) expect(g.inputs).toMatchObject({ kmsKeyId: keyArn(), retentionInDays: 30 });
    for (const db of v.ofType(RDS)) expect(db.inputs.identifier).toBe(db.name);
  });

  it("RDS storage and Performance Insights use the data key", () => {
    for (const db of views[stack].ofType(RDS)) {
      expect(db.inputs).toMatchObject({ storageEncrypted: true, kmsKeyId: keyArn() });
      if (db.inputs.performanceInsightsEnabled === true) expect(db.inputs.performanceInsightsKmsKeyId).toBe(keyArn());
    }
  });

  it("Redis encrypts at rest with the data key and requires TLS", () => {
    const [redis] = views[stack].ofType(REDIS);
    expect(redis.inputs).toMatchObject({ atRestEncryptionEnabled: true, kmsKeyId: keyArn(), transitEncryptionEnabled: true, transitEncryptionMode: "required" });
  });

  it("buckets default to SSE-KMS with a bucket key; versioning on backups and archives only", () => {
    const v = views[stack];
    for (const kind of ["backups", "logs", "archives"]) {
      const sse = v.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `gamemetrics-${stack}-${kind}`);
      expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn() }, bucketKeyEnabled: true }]);
    }
    const versioned = v.dataOfType("aws:s3/bucketVersioning:BucketVersioning").filter((r) => r.inputs.versioningConfiguration !== undefined);
    expect(versioned.map((r) => [r.name, r.inputs.versioningConfiguration])).toEqual([
      [`gamemetrics-${stack}-backups`, { status: "Enabled" }],
      [`gamemetrics-${stack}-archives`, { status: "Enabled" }],
    ]);
  });

  it("secrets and ECR repositories use the data key", () => {
    const v = views[stack];
    const secrets = v.dataOfType("aws:secretsmanager/secret:Secret");
    expect(secrets.map((s) => s.inputs.name).sort()).toEqual([`gamemetrics-${stack}/data/postgres-master`, `gamemetrics-${stack}/data/redis-auth`]);
    for (const s of secrets) expect(s.inputs.kmsKeyId).toBe(keyArn());
    for (const repo of v.dataOfType("aws:ecr/repository:Repository")) {
      expect(repo.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: keyArn() }]);
    }
  });
});

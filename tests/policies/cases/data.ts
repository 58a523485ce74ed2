import { one, res, type RuleCase, TAGS, variants } from "./support";

const RDS = "aws:rds/instance:Instance";
const primary = variants(
  RDS,
  {
    engine: "postgres",
    instanceClass: "db.r5.xlarge",
    allocatedStorage: 200,
    storageEncrypted: true,
    publiclyAccessible: false,
    multiAz: true,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "gamemetrics-prod-postgres-final",
    parameterGroupName: "gamemetrics-prod-postgres",
    tags: TAGS,
  },
  "postgres",
);
/** Read replicas inherit backups and snapshots: the primary-only rules leave them alone. */
const replica = res(RDS, { replicateSourceDb: "postgres", instanceClass: "db.r5.xlarge", skipFinalSnapshot: true, parameterGroupName: "pg", tags: TAGS }, "replica");
const freePrimary = primary({ instanceClass: "db.t3.micro", allocatedStorage: 20, multiAz: false, backupRetentionPeriod: 1 });
const pg = (parameters: unknown[], family = "postgres16") => res("aws:rds/parameterGroup:ParameterGroup", { family, parameters, tags: TAGS });

const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const redis = variants(REDIS, {
  nodeType: "cache.r6g.xlarge",
  numNodeGroups: 3,
  replicasPerNodeGroup: 1,
  atRestEncryptionEnabled: true,
  transitEncryptionEnabled: true,
  transitEncryptionMode: "required",
  authToken: "[secret]",
  automaticFailoverEnabled: true,
  multiAzEnabled: true,
  tags: TAGS,
});
const freeRedis = redis({ nodeType: "cache.t3.micro", numNodeGroups: undefined, replicasPerNodeGroup: undefined, numCacheClusters: 1 });

export const DATA_CASES: Record<string, RuleCase> = {
  "rds-storage-encrypted": { pass: one(primary(), replica), fail: one(primary({ storageEncrypted: false }), res(RDS, { instanceClass: "db.t3.micro" })) },
  "rds-not-public": { pass: one(primary()), fail: one(primary({ publiclyAccessible: true })) },
  "rds-multi-az": { pass: one(primary(), replica), fail: one(primary({ multiAz: false })) },
  "rds-single-az-free": { pass: one(freePrimary), fail: one(primary({ multiAz: true })) },
  "rds-backup-retention": { pass: one(freePrimary, replica), fail: one(primary({ backupRetentionPeriod: 0 }), res(RDS, { instanceClass: "db.t3.micro" })) },
  "rds-backup-retention-production": { pass: one(primary(), primary({ backupRetentionPeriod: 35 })), fail: one(primary({ backupRetentionPeriod: 3 })) },
  "rds-deletion-protection": { pass: one(primary(), replica), fail: one(primary({ deletionProtection: false })) },
  "rds-final-snapshot": {
    pass: one(primary(), replica),
    fail: one(primary({ skipFinalSnapshot: true }), primary({ finalSnapshotIdentifier: undefined })),
  },
  "rds-force-ssl": {
    pass: one(primary(), pg([{ name: "rds.force_ssl", value: "1" }]), pg([], "mysql8.0")),
    fail: one(primary({ parameterGroupName: "default.postgres16" }), primary({ parameterGroupName: undefined }), pg([{ name: "rds.force_ssl", value: "0" }]), pg([])),
  },
  "redis-encryption-at-rest": { pass: one(redis()), fail: one(redis({ atRestEncryptionEnabled: false }), res(REDIS, {})) },
  "redis-encryption-in-transit": {
    pass: one(redis(), redis({ transitEncryptionMode: undefined })),
    fail: one(redis({ transitEncryptionEnabled: false }), redis({ transitEncryptionMode: "preferred" })),
  },
  "redis-auth": { pass: one(redis(), redis({ authToken: undefined, userGroupIds: ["ug-1"] })), fail: one(redis({ authToken: undefined })) },
  "redis-automatic-failover": { pass: one(redis()), fail: one(redis({ automaticFailoverEnabled: false })) },
  "redis-multi-az": { pass: one(redis()), fail: one(redis({ multiAzEnabled: false })) },
  "cost-free-rds": {
    pass: one(freePrimary, primary({ instanceClass: "db.t4g.micro", allocatedStorage: 20 })),
    fail: one(primary({ instanceClass: "db.r5.large", allocatedStorage: 20 }), primary({ instanceClass: "db.t3.micro", allocatedStorage: 100 })),
  },
  "cost-free-redis": {
    pass: one(freeRedis, redis({ nodeType: "cache.t4g.micro", numNodeGroups: 1, replicasPerNodeGroup: 0 })),
    fail: one(redis(), redis({ nodeType: "cache.t3.micro", numNodeGroups: 1, replicasPerNodeGroup: 1 }), res(REDIS, { nodeType: "cache.t3.small" })),
  },
};

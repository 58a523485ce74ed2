import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RdsProfile } from "../config/sections/rds";
import { type DataServiceArgs, privateEndpoint } from "./endpoint";
import {
  logExports,
  logGroupNames,
  maxAllocatedStorage,
  parameterFamily,
  POSTGRES_DB_NAME,
  POSTGRES_MASTER_USER,
  POSTGRES_PORT,
  postgresParameters,
  postgresSecret,
  primaryAz,
  replicaAz,
} from "./postgres-settings";

/** RDS rejects `/`, `"`, `@` and spaces in master passwords; this set is also URL- and shell-safe. */
const PASSWORD_SPECIALS = "-_.~!#^*";

export interface PostgresArgs extends DataServiceArgs {
  readonly profile: RdsProfile;
  /** Turns on `rds.logical_replication` for CDC; the program derives it from the Kafka setup. */
  readonly logicalReplication: boolean;
}

/**
 * RDS PostgreSQL: a primary (Multi-AZ per profile) plus read replicas, reachable only from the
 * cluster's nodes, encrypted with the data key, its master credentials in Secrets Manager as
 * JSON {username, password, host, port, dbname} for External Secrets.
 */
export class Postgres extends pulumi.ComponentResource {
  /** Primary's DNS name (no port). */
  readonly address: pulumi.Output<string>;
  readonly port: number = POSTGRES_PORT;
  readonly readerAddresses: pulumi.Output<string>[];
  readonly secretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:Postgres", name, {}, opts);
    const { profile, tags } = args;
    const parent = { parent: this };

    const { password, securityGroup, subnetGroupName, storeCredential } = privateEndpoint(
      name,
      args,
      {
        service: "PostgreSQL",
        port: POSTGRES_PORT,
        subnetGroup: aws.rds.SubnetGroup,
        credential: { suffix: "master", length: 32, specials: PASSWORD_SPECIALS },
        secret: {
          name: "postgres-master",
          description: "RDS PostgreSQL master credentials {username,password,host,port,dbname}",
          json: postgresSecret,
        },
      },
      this,
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      name,
      {
        family: parameterFamily(profile.engineVersion),
        description: "TLS forced, pg_cron preloaded, logical replication per program",
        parameters: postgresParameters({ logicalReplication: args.logicalReplication, dbName: POSTGRES_DB_NAME }),
        tags,
      },
      parent,
    );

    // Settings primary and replicas share, so a replica can take over without surprises.
    const common = {
      instanceClass: profile.instanceClass,
      storageType: profile.storageType,
      maxAllocatedStorage: maxAllocatedStorage(profile),
      storageEncrypted: true,
      kmsKeyId: args.kmsKeyArn,
      vpcSecurityGroupIds: [securityGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      performanceInsightsEnabled: profile.performanceInsights,
      performanceInsightsKmsKeyId: profile.performanceInsights ? args.kmsKeyArn : undefined,
      performanceInsightsRetentionPeriod: profile.performanceInsights ? 7 : undefined,
      enabledCloudwatchLogsExports: logExports(profile),
      deletionProtection: profile.deletionProtection,
      copyTagsToSnapshot: true,
      tags,
    };
    // RDS would create export log groups itself, unencrypted and kept forever; these come first instead.
    const logGroups = (identifier: string) =>
      logGroupNames(identifier, profile).map(
        ({ logType, groupName }) =>
          new aws.cloudwatch.LogGroup(
            `${identifier}-${logType}`,
            { name: groupName, retentionInDays: profile.logRetentionDays, kmsKeyId: args.kmsKeyArn, tags },
            parent,
          ),
      );

    // Fixed identifiers: log group names are known up front, and a change that would replace the
    // database fails on the name instead of silently creating an empty one next to it.
    const primary = new aws.rds.Instance(
      name,
      {
        ...common,
        identifier: name,
        engine: "postgres",
        engineVersion: profile.engineVersion,
        allocatedStorage: profile.allocatedStorageGb,
        dbName: POSTGRES_DB_NAME,
        username: POSTGRES_MASTER_USER,
        password,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnetGroupName,
        multiAz: profile.multiAz,
        availabilityZone: args.network.azNames.apply((azs) => primaryAz(azs, profile.multiAz)),
        backupRetentionPeriod: profile.backupRetentionDays,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        skipFinalSnapshot: !profile.finalSnapshot,
        finalSnapshotIdentifier: profile.finalSnapshot ? `${name}-final` : undefined,
      },
      { parent: this, dependsOn: logGroups(name) },
    );
    // Same-region replicas name their source by identifier and inherit its subnet group and encryption.
    const replicas = Array.from({ length: profile.readReplicas }, (_, i) => {
      const identifier = `${name}-replica-${i + 1}`;
      return new aws.rds.Instance(
        identifier,
        {
          ...common,
          identifier,
          replicateSourceDb: primary.identifier,
          availabilityZone: args.network.azNames.apply((azs) => replicaAz(azs, i)),
          // Replicas hold no data of their own: lowering readReplicas must be able to drop them.
          deletionProtection: false,
          skipFinalSnapshot: true,
        },
        { parent: this, dependsOn: logGroups(identifier) },
      );
    });

    this.address = primary.address;
    this.readerAddresses = replicas.map((r) => r.address);
    this.securityGroupId = securityGroup.id;
    this.secretArn = storeCredential(primary.address);
    this.registerOutputs({ address: this.address, readerAddresses: this.readerAddresses, secretArn: this.secretArn });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { APP_NAMES, type AppName } from "../config/sections/apps";
import type { Profile } from "../config";
import type { NetworkInfo, Tags } from "../contracts";
import { SecureBucket } from "./bucket";
import { BUCKET_KINDS, type BucketKind, lifecycleRules, OBJECT_LOCK, VERSIONED } from "./bucket-rules";
import { DataKey } from "./kms";
import { Postgres } from "./postgres";
import { Redis } from "./redis";
import { Registry } from "./registry";

export interface DataLayerArgs {
  readonly network: NetworkInfo;
  /** From ClusterInfo: the only source admitted to PostgreSQL and Redis. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly profile: Pick<Profile, "rds" | "redis" | "storage">;
  /** PostgreSQL logical replication for CDC (Kafka Connect/Debezium). */
  readonly logicalReplication: boolean;
  /** Physical-name prefix, `gamemetrics-<stack>`. */
  readonly namePrefix: string;
  readonly tags: Tags;
}

/** The platform's state: the data key, PostgreSQL, Redis, the S3 buckets and the ECR repositories. */
export class DataLayer extends pulumi.ComponentResource {
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly postgres: Postgres;
  readonly redis: Redis;
  readonly bucketNames: Readonly<Record<BucketKind, pulumi.Output<string>>>;
  readonly bucketArns: Readonly<Record<BucketKind, pulumi.Output<string>>>;
  readonly repositoryUrls: Readonly<Record<AppName, pulumi.Output<string>>>;

  constructor(name: string, args: DataLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:DataLayer", name, {}, opts);
    const { profile, namePrefix, tags } = args;
    const parent = { parent: this };

    const key = new DataKey(`${name}-key`, { alias: `${namePrefix}-data`, tags }, parent);
    const shared = {
      network: args.network,
      nodeSecurityGroupId: args.nodeSecurityGroupId,
      kmsKeyArn: key.arn,
      namePrefix,
      secretRecoveryDays: profile.storage.secretRecoveryDays,
      tags,
    };
    this.postgres = new Postgres(`${namePrefix}-postgres`, { ...shared, profile: profile.rds, logicalReplication: args.logicalReplication }, parent);
    this.redis = new Redis(`${namePrefix}-redis`, { ...shared, profile: profile.redis }, parent);

    const buckets = BUCKET_KINDS.map(
      (kind) =>
        [
          kind,
          new SecureBucket(
            `${namePrefix}-${kind}`,
            { versioned: VERSIONED[kind], objectLock: OBJECT_LOCK[kind], lifecycleRules: lifecycleRules(kind, profile.storage), kmsKeyArn: key.arn, tags },
            parent,
          ),
        ] as const,
    );
    this.bucketNames = Object.fromEntries(buckets.map(([kind, b]) => [kind, b.bucketName])) as Record<BucketKind, pulumi.Output<string>>;
    this.bucketArns = Object.fromEntries(buckets.map(([kind, b]) => [kind, b.arn])) as Record<BucketKind, pulumi.Output<string>>;

    const registry = new Registry(
      `${namePrefix}-ecr`,
      { apps: APP_NAMES, namePrefix, keepImages: profile.storage.ecrKeepImages, kmsKeyArn: key.arn, tags },
      parent,
    );
    this.repositoryUrls = registry.repositoryUrls;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, bucketNames: this.bucketNames, repositoryUrls: this.repositoryUrls });
  }
}

/** The stack outputs the data layer contributes; names are the contract for users and later components. */
export function dataStackOutputs(data: DataLayer): Record<string, pulumi.Input<unknown>> {
  return {
    dataKmsKeyArn: data.kmsKeyArn,
    rdsEndpoint: pulumi.interpolate`${data.postgres.address}:${data.postgres.port}`,
    rdsAddress: data.postgres.address,
    rdsReaderAddresses: data.postgres.readerAddresses,
    rdsSecretArn: data.postgres.secretArn,
    redisEndpoint: pulumi.interpolate`${data.redis.address}:${data.redis.port}`,
    redisSecretArn: data.redis.secretArn,
    backupsBucket: data.bucketNames.backups,
    logsBucket: data.bucketNames.logs,
    archivesBucket: data.bucketNames.archives,
    ecrRepositoryUrls: data.repositoryUrls,
  };
}

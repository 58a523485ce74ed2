import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RedisProfile } from "../config/sections/redis";
import type { NetworkInfo, Tags } from "../contracts";
import { nodeOnlySecurityGroup } from "./access";
import { AUTH_TOKEN_SPECIALS, preferredCacheAzs, REDIS_PORT, redisSecret, redisTopology } from "./redis-settings";
import { jsonSecret } from "./secret";

export interface RedisArgs {
  readonly network: Pick<NetworkInfo, "vpcId" | "privateSubnetIds" | "azNames">;
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly profile: RedisProfile;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Physical-name prefix (`gamemetrics-dev`) for the secret name. */
  readonly namePrefix: string;
  readonly secretRecoveryDays: number;
  readonly tags: Tags;
}

/**
 * ElastiCache Redis: one node on free, sharded with replicas and failover in production; TLS in
 * transit required, at rest encrypted with the data key, AUTH token in Secrets Manager as JSON
 * {host, port, password, tls, cluster} for External Secrets.
 */
export class Redis extends pulumi.ComponentResource {
  /** Configuration endpoint in cluster mode, primary endpoint otherwise: what clients connect to. */
  readonly address: pulumi.Output<string>;
  readonly port: number = REDIS_PORT;
  readonly secretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:Redis", name, {}, opts);
    const { profile, tags } = args;
    const parent = { parent: this };
    const topology = redisTopology(profile);

    const token = new random.RandomPassword(
      `${name}-auth`,
      { length: 64, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minUpper: 2, minLower: 2, minNumeric: 2 },
      parent,
    );
    const securityGroup = nodeOnlySecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.network.vpcId,
        nodeSecurityGroupId: args.nodeSecurityGroupId,
        port: REDIS_PORT,
        description: "Redis from EKS nodes only",
        tags,
      },
      this,
    );
    const subnetGroup = new aws.elasticache.SubnetGroup(
      name,
      { description: "Private subnets in every AZ of the VPC", subnetIds: args.network.privateSubnetIds, tags },
      parent,
    );
    const group = new aws.elasticache.ReplicationGroup(
      name,
      {
        description: `GameMetrics cache (${topology.clusterMode === "enabled" ? "cluster mode" : "single shard"})`,
        engine: "redis",
        engineVersion: profile.engineVersion,
        nodeType: profile.nodeType,
        port: REDIS_PORT,
        ...topology,
        automaticFailoverEnabled: profile.automaticFailover,
        multiAzEnabled: profile.multiAz,
        preferredCacheClusterAzs: args.network.azNames.apply((azs) => preferredCacheAzs(topology, profile.multiAz, azs)),
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: pulumi.secret(token.result),
        snapshotRetentionLimit: profile.snapshotRetentionDays,
        snapshotWindow: profile.snapshotRetentionDays > 0 ? "03:00-04:00" : undefined,
        maintenanceWindow: "sun:05:00-sun:06:00",
        autoMinorVersionUpgrade: true,
        tags,
      },
      parent,
    );

    this.address = topology.clusterMode === "enabled" ? group.configurationEndpointAddress : group.primaryEndpointAddress;
    this.securityGroupId = securityGroup.id;
    this.secretArn = jsonSecret(
      `${name}-auth`,
      {
        secretName: `${args.namePrefix}/data/redis-auth`,
        description: "ElastiCache Redis AUTH token and endpoint {host,port,password,tls,cluster}",
        kmsKeyArn: args.kmsKeyArn,
        recoveryWindowInDays: args.secretRecoveryDays,
        value: pulumi.all([token.result, this.address]).apply(([pw, host]) => redisSecret(pw, host, topology)),
        tags,
      },
      this,
    ).arn;
    this.registerOutputs({ address: this.address, secretArn: this.secretArn });
  }
}

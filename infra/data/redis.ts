import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RedisProfile } from "../config/sections/redis";
import { type DataServiceArgs, privateEndpoint } from "./endpoint";
import { AUTH_TOKEN_SPECIALS, preferredCacheAzs, REDIS_PORT, redisSecret, redisTopology } from "./redis-settings";

export interface RedisArgs extends DataServiceArgs {
  readonly profile: RedisProfile;
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

    const { password: token, securityGroup, subnetGroupName, storeCredential } = privateEndpoint(
      name,
      args,
      {
        service: "Redis",
        port: REDIS_PORT,
        subnetGroup: aws.elasticache.SubnetGroup,
        credential: { suffix: "auth", length: 64, specials: AUTH_TOKEN_SPECIALS },
        secret: {
          name: "redis-auth",
          description: "ElastiCache Redis AUTH token and endpoint {host,port,password,tls,cluster}",
          json: (password, host) => redisSecret(password, host, topology),
        },
      },
      this,
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
        subnetGroupName,
        securityGroupIds: [securityGroup.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: token,
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
    this.secretArn = storeCredential(this.address);
    this.registerOutputs({ address: this.address, secretArn: this.secretArn });
  }
}

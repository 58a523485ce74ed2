import { bool, int, oneOf, section, text } from "../fields";

export interface RedisProfile {
  /** Redis OSS 7.x: the line with the `default.redis7` parameter groups and TLS mode "required". */
  engineVersion: "7.0" | "7.1";
  nodeType: string;
  /** Cluster mode enabled: data sharded over `shards` node groups. */
  clusterMode: boolean;
  shards: number;
  replicasPerShard: number;
  automaticFailover: boolean;
  multiAz: boolean;
  snapshotRetentionDays: number;
}

export const redis = section<RedisProfile>({
  fields: {
    engineVersion: oneOf("7.0", "7.1"),
    nodeType: text(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.r6g.xlarge"),
    clusterMode: bool(),
    shards: int(1, 500),
    replicasPerShard: int(0, 5),
    automaticFailover: bool(),
    multiAz: bool(),
    snapshotRetentionDays: int(0, 35),
  },
  free: {
    engineVersion: "7.1",
    nodeType: "cache.t3.micro",
    clusterMode: false,
    shards: 1,
    replicasPerShard: 0,
    automaticFailover: false,
    multiAz: false,
    snapshotRetentionDays: 0,
  },
  production: {
    engineVersion: "7.1",
    nodeType: "cache.r6g.xlarge",
    clusterMode: true,
    shards: 3,
    replicasPerShard: 1,
    automaticFailover: true,
    multiAz: true,
    snapshotRetentionDays: 7,
  },
});

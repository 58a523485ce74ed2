import type { RedisProfile } from "../config/sections/redis";

/** Pure ElastiCache decisions, kept apart from the component so they are unit-testable. */

export const REDIS_PORT = 6379;

/** ElastiCache AUTH tokens allow only these non-alphanumeric characters. */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/** How the replication group is laid out: sharded (cluster mode) or one primary with replicas. */
export type RedisTopology =
  | { readonly clusterMode: "enabled"; readonly numNodeGroups: number; readonly replicasPerNodeGroup: number; readonly parameterGroupName: string }
  | { readonly clusterMode: "disabled"; readonly numCacheClusters: number; readonly parameterGroupName: string };

/** Default parameter group of the 7.x line; cluster mode needs the `.cluster.on` variant. */
export function defaultParameterGroup(clusterMode: boolean): string {
  return clusterMode ? "default.redis7.cluster.on" : "default.redis7";
}

export function redisTopology(profile: Pick<RedisProfile, "clusterMode" | "shards" | "replicasPerShard">): RedisTopology {
  const parameterGroupName = defaultParameterGroup(profile.clusterMode);
  return profile.clusterMode
    ? { clusterMode: "enabled", numNodeGroups: profile.shards, replicasPerNodeGroup: profile.replicasPerShard, parameterGroupName }
    : { clusterMode: "disabled", numCacheClusters: 1 + profile.replicasPerShard, parameterGroupName };
}

/**
 * Without Multi-AZ, the non-sharded group's nodes sit in the first AZ, where the tier's workloads run;
 * otherwise ElastiCache spreads them (and cluster mode places shards itself).
 */
export function preferredCacheAzs(topology: RedisTopology, multiAz: boolean, azNames: readonly string[]): string[] | undefined {
  if (multiAz || topology.clusterMode === "enabled") return undefined;
  if (azNames.length === 0) throw new Error("preferredCacheAzs: the network reported no availability zones");
  return Array.from({ length: topology.numCacheClusters }, () => azNames[0]);
}

/** Total cache nodes the topology runs (what the bill counts). */
export function redisNodeCount(topology: RedisTopology): number {
  return topology.clusterMode === "enabled" ? topology.numNodeGroups * (1 + topology.replicasPerNodeGroup) : topology.numCacheClusters;
}

/** The AUTH secret's JSON, the shape External Secrets maps key by key into a Kubernetes Secret. */
export interface RedisSecret {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly tls: true;
  /** Clients must use a cluster-aware connection (ioredis `Cluster`) when true. */
  readonly cluster: boolean;
}

export function redisSecret(password: string, host: string, topology: RedisTopology): RedisSecret {
  return { host, port: REDIS_PORT, password, tls: true, cluster: topology.clusterMode === "enabled" };
}

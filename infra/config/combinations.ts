import type { Profile, Tier } from "./profile";

/** A rule across fields: returns a problem (naming keys, values and what is allowed) or nothing. */
type Combination = (p: Profile, tier: Tier) => string | undefined;

const COMBINATIONS: readonly Combination[] = [
  (p, tier) =>
    tier === "production" && p.network.azCount < 3
      ? `gamemetrics:network.azCount is ${p.network.azCount} on the production tier; allowed: 3 or more`
      : undefined,
  (p) =>
    p.network.workloadAzCount > p.network.azCount
      ? `gamemetrics:network.workloadAzCount (${p.network.workloadAzCount}) exceeds gamemetrics:network.azCount (${p.network.azCount}); allowed: at most ${p.network.azCount}`
      : undefined,
  (p) =>
    p.rds.multiAz && p.network.workloadAzCount < 2
      ? `gamemetrics:rds.multiAz is true with gamemetrics:network.workloadAzCount ${p.network.workloadAzCount}; allowed: multiAz false, or workloadAzCount 2 or more`
      : undefined,
  (p) =>
    p.rds.maxAllocatedStorageGb < p.rds.allocatedStorageGb
      ? `gamemetrics:rds.maxAllocatedStorageGb (${p.rds.maxAllocatedStorageGb}) is below gamemetrics:rds.allocatedStorageGb (${p.rds.allocatedStorageGb}); allowed: ${p.rds.allocatedStorageGb} or more`
      : undefined,
  (p) =>
    p.rds.readReplicas > 0 && p.rds.backupRetentionDays === 0
      ? `gamemetrics:rds.readReplicas is ${p.rds.readReplicas} with gamemetrics:rds.backupRetentionDays 0; allowed: backupRetentionDays 1 or more (read replicas need automated backups)`
      : undefined,
  (p) =>
    !(p.eks.nodeMinCount <= p.eks.nodeDesiredCount && p.eks.nodeDesiredCount <= p.eks.nodeMaxCount)
      ? `gamemetrics:eks node counts min ${p.eks.nodeMinCount}, desired ${p.eks.nodeDesiredCount}, max ${p.eks.nodeMaxCount}; allowed: nodeMinCount <= nodeDesiredCount <= nodeMaxCount`
      : undefined,
  (p) =>
    p.eks.endpointPublicAccess && p.eks.publicAccessCidrs.length === 0
      ? `gamemetrics:eks.endpointPublicAccess is true with an empty gamemetrics:eks.publicAccessCidrs; allowed: at least one CIDR, or endpointPublicAccess false`
      : undefined,
  (p) =>
    p.redis.multiAz && !p.redis.automaticFailover
      ? `gamemetrics:redis.multiAz is true with gamemetrics:redis.automaticFailover false; allowed: automaticFailover true when multiAz is true`
      : undefined,
  (p) =>
    p.redis.automaticFailover && p.redis.replicasPerShard < 1
      ? `gamemetrics:redis.automaticFailover is true with gamemetrics:redis.replicasPerShard 0; allowed: replicasPerShard 1 or more`
      : undefined,
  (p) =>
    p.redis.multiAz && p.network.workloadAzCount < 2
      ? `gamemetrics:redis.multiAz is true with gamemetrics:network.workloadAzCount ${p.network.workloadAzCount}; allowed: multiAz false, or workloadAzCount 2 or more`
      : undefined,
  (p) =>
    !p.redis.clusterMode && p.redis.shards !== 1
      ? `gamemetrics:redis.shards is ${p.redis.shards} with gamemetrics:redis.clusterMode false; allowed: 1 shard unless clusterMode is true`
      : undefined,
];

export function combinationProblems(p: Profile, tier: Tier): string[] {
  return COMBINATIONS.map((rule) => rule(p, tier)).filter((m): m is string => m !== undefined);
}

import type { Profile, Tier } from "./profile";
import { mskBrokerCount, mskSubnetCount, TOPIC_REPLICATION } from "./sections/kafka";

/** A rule across fields: returns a problem (naming keys, values and what is allowed) or nothing. */
type Combination = (p: Profile, tier: Tier) => string | undefined;

const COMBINATIONS: readonly Combination[] = [
  (p, tier) =>
    tier === "production" && p.ingress.certificateArn === ""
      ? 'gamemetrics:ingress.certificateArn is "" on the production tier; allowed: an ACM certificate ARN (HTTP only is for the free tier)'
      : undefined,
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
      ? `gamemetrics:eks.endpointPublicAccess is true with an empty gamemetrics:eks.publicAccessCidrs; allowed: the deployer's egress CIDRs (CI runner, office), or endpointPublicAccess false once the deployer runs inside the VPC (deployerInVpc true)`
      : undefined,
  // The VPC is created by this stack: on the first up no deployer can be inside it, and every Kubernetes
  // resource would time out against a private-only endpoint.
  (p) =>
    !p.eks.endpointPublicAccess && !p.eks.deployerInVpc
      ? `gamemetrics:eks.endpointPublicAccess is false with gamemetrics:eks.deployerInVpc false: the deployer cannot reach a private-only Kubernetes API (this stack creates the VPC); allowed: endpointPublicAccess true with the deployer's CIDRs in publicAccessCidrs (the first up), or deployerInVpc true when pulumi up runs inside the VPC`
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
    p.redis.clusterMode && !p.redis.automaticFailover
      ? `gamemetrics:redis.clusterMode is true with gamemetrics:redis.automaticFailover false; allowed: automaticFailover true when clusterMode is true (ElastiCache requires it)`
      : undefined,
  (p) =>
    !p.redis.clusterMode && p.redis.shards !== 1
      ? `gamemetrics:redis.shards is ${p.redis.shards} with gamemetrics:redis.clusterMode false; allowed: 1 shard unless clusterMode is true`
      : undefined,
  (p) =>
    p.qdrant.replicationFactor > p.qdrant.replicas
      ? `gamemetrics:qdrant.replicationFactor (${p.qdrant.replicationFactor}) exceeds gamemetrics:qdrant.replicas (${p.qdrant.replicas}); allowed: at most ${p.qdrant.replicas}`
      : undefined,
  (p) =>
    observabilityRetentionDays(p) > p.storage.logsExpirationDays
      ? `gamemetrics:observability retention (${observabilityRetentionDays(p)} days, Loki/Tempo/Thanos) exceeds gamemetrics:storage.logsExpirationDays (${p.storage.logsExpirationDays}), which deletes the objects first; allowed: at most ${p.storage.logsExpirationDays} days`
      : undefined,
  (p, tier) =>
    p.kafka.mode === "strimzi" && p.kafka.brokers < TOPIC_REPLICATION[tier]
      ? `gamemetrics:kafka.brokers is ${p.kafka.brokers} on the ${tier} tier, whose topics have replication factor ${TOPIC_REPLICATION[tier]}; allowed: ${TOPIC_REPLICATION[tier]} or more`
      : undefined,
  (p, tier) => {
    const brokers = mskBrokerCount(p.kafka.mskBrokersPerAz, p.network.azCount);
    const subnets = mskSubnetCount(p.network.azCount);
    return p.kafka.mode === "msk" && brokers < TOPIC_REPLICATION[tier]
      ? `gamemetrics:kafka.mskBrokersPerAz ${p.kafka.mskBrokersPerAz} gives ${brokers} MSK brokers over ${subnets} AZs, below the ${tier} tier's replication factor ${TOPIC_REPLICATION[tier]}; allowed: ${Math.ceil(TOPIC_REPLICATION[tier] / subnets)} or more per AZ`
      : undefined;
  },
  // Brokers that are also KRaft controllers form the quorum: an even count tolerates no more failures than one less.
  (p) =>
    p.kafka.mode === "strimzi" && !p.kafka.dedicatedControllers && p.kafka.brokers % 2 === 0
      ? `gamemetrics:kafka.brokers is ${p.kafka.brokers} with gamemetrics:kafka.dedicatedControllers false (brokers are the KRaft quorum); allowed: an odd count, or dedicatedControllers true`
      : undefined,
  (p) =>
    p.apps.minReplicas > p.apps.maxReplicas
      ? `gamemetrics:apps.minReplicas (${p.apps.minReplicas}) exceeds gamemetrics:apps.maxReplicas (${p.apps.maxReplicas}); allowed: at most ${p.apps.maxReplicas}`
      : undefined,
  // One pod is an outage at every node drain or AZ loss: production services run two or more.
  (p, tier) =>
    tier === "production" && p.apps.replicas < 2
      ? `gamemetrics:apps.replicas is ${p.apps.replicas} on the production tier; allowed: 2 or more`
      : undefined,
  (p, tier) =>
    tier === "production" && p.apps.minReplicas < 2
      ? `gamemetrics:apps.minReplicas is ${p.apps.minReplicas} on the production tier; allowed: 2 or more`
      : undefined,
];

export function combinationProblems(p: Profile, tier: Tier): string[] {
  return COMBINATIONS.map((rule) => rule(p, tier)).filter((m): m is string => m !== undefined);
}

/** The longest any observability store keeps objects in the logs bucket, in days. */
function observabilityRetentionDays(p: Profile): number {
  const o = p.observability;
  const thanos = o.thanos ? Math.max(o.thanosRawRetentionDays, o.thanos5mRetentionDays, o.thanos1hRetentionDays) : 0;
  return Math.max(o.lokiRetentionDays, Math.ceil(o.tempoRetentionHours / 24), thanos);
}

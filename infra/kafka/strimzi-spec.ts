import type { Tier } from "../config";
import type { KafkaProfile } from "../config/sections/kafka";
import type { AclRule } from "./access";
import { maxReplicas, minInsyncReplicas, type TopicSpec } from "./topics";

// Pure builders for the Strimzi custom resources (kafka.strimzi.io/v1), unit-tested without mocks.
// Strimzi 1.x runs KRaft with node pools only, so the old strimzi.io/kraft and strimzi.io/node-pools
// annotations are gone (ignored since 0.48, dropped from the v1 examples).

export const STRIMZI_API = "kafka.strimzi.io/v1";
/** Name of the Kafka CR: its bootstrap Service is `<name>-kafka-bootstrap`. */
export const KAFKA_CLUSTER_NAME = "gamemetrics";
/** The one client listener: TLS with SCRAM-SHA-512. Strimzi keeps its own mTLS listener for replication. */
export const CLIENT_LISTENER = { name: "scram", port: 9093 } as const;
export const ZONE_LABEL = "topology.kubernetes.io/zone";

export function bootstrapAddress(namespace: string): string {
  return `${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${namespace}.svc:${CLIENT_LISTENER.port}`;
}

/** Secret the operator keeps the cluster CA certificate in (key `ca.crt`). */
export const CLUSTER_CA_SECRET = `${KAFKA_CLUSTER_NAME}-cluster-ca-cert`;

/** Broker-wide defaults: nothing auto-created, internal topics replicated like the catalog's. */
export function brokerConfig(tier: Tier, brokers: number): Record<string, string | number | boolean> {
  const rf = Math.min(maxReplicas(tier), brokers);
  const minIsr = minInsyncReplicas(rf);
  return {
    "auto.create.topics.enable": false,
    "default.replication.factor": rf,
    "min.insync.replicas": minIsr,
    "offsets.topic.replication.factor": rf,
    "transaction.state.log.replication.factor": rf,
    "transaction.state.log.min.isr": minIsr,
    "unclean.leader.election.enable": false,
    "num.partitions": 1,
  };
}

/** `Kafka` spec: TLS + SCRAM listener, simple ACL authorization, rack awareness, metrics, operators. */
export function kafkaSpec(tier: Tier, profile: KafkaProfile): Record<string, unknown> {
  return {
    kafka: {
      version: profile.kafkaVersion,
      listeners: [{ ...CLIENT_LISTENER, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }],
      authorization: { type: "simple" },
      // Replicas of a partition land in different AZs; a lost zone loses no acknowledged write.
      ...(profile.brokers > 1 ? { rack: { topologyKey: ZONE_LABEL } } : {}),
      config: brokerConfig(tier, profile.brokers),
      metricsConfig: { type: "strimziMetricsReporter" },
    },
    entityOperator: { topicOperator: {}, userOperator: {} },
    // Consumer lag and topic offsets for Prometheus.
    kafkaExporter: { topicRegex: ".*", groupRegex: ".*" },
  };
}

export interface NodePoolSpec {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/**
 * Node pools: production gets 3 dedicated KRaft controllers plus the brokers; free one pool whose
 * nodes are both. Pods spread evenly over zones so rack awareness has racks to use.
 */
export function nodePools(profile: KafkaProfile, storageClass: string): NodePoolSpec[] {
  const storage = (sizeGb: number) => ({
    type: "jbod",
    volumes: [{ id: 0, type: "persistent-claim", size: `${sizeGb}Gi`, class: storageClass, deleteClaim: profile.deleteClaims, kraftMetadata: "shared" }],
  });
  const resources = (cpuMillis: number, memoryMi: number) => ({
    requests: { cpu: `${cpuMillis}m`, memory: `${memoryMi}Mi` },
    limits: { memory: `${memoryMi}Mi` },
  });
  const spread = (pool: string) => ({
    pod: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: ZONE_LABEL,
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME, "strimzi.io/pool-name": pool } },
        },
      ],
    },
  });
  const brokers: NodePoolSpec = {
    name: "brokers",
    spec: {
      replicas: profile.brokers,
      roles: profile.dedicatedControllers ? ["broker"] : ["controller", "broker"],
      storage: storage(profile.brokerStorageGb),
      resources: resources(profile.brokerCpuMillis, profile.brokerMemoryMi),
      // Heap at half the container memory; the page cache gets the rest.
      jvmOptions: { "-Xms": `${Math.floor(profile.brokerMemoryMi / 2)}m`, "-Xmx": `${Math.floor(profile.brokerMemoryMi / 2)}m` },
      template: spread("brokers"),
    },
  };
  if (!profile.dedicatedControllers) return [brokers];
  const controllers: NodePoolSpec = {
    name: "controllers",
    spec: { replicas: 3, roles: ["controller"], storage: storage(20), resources: resources(250, 1024), template: spread("controllers") },
  };
  return [controllers, brokers];
}

/** `KafkaTopic` spec from the catalog. */
export function topicSpec(topic: TopicSpec): Record<string, unknown> {
  return { topicName: topic.name, partitions: topic.partitions, replicas: topic.replicas, config: topic.config };
}

/**
 * `KafkaUser` spec: SCRAM with the password we generate (so the same value reaches the app's
 * Secret in any namespace), and the derived ACLs.
 */
export function userSpec(acls: readonly AclRule[], passwordSecret: string, passwordKey: string): Record<string, unknown> {
  return {
    authentication: { type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: passwordSecret, key: passwordKey } } } },
    authorization: { type: "simple", acls: acls.map((a) => ({ resource: a.resource, operations: [...a.operations] })) },
  };
}

import { bool, type Field, int, oneOf, section, text } from "../fields";
import type { Tier } from "../tier";
import { MSK_KAFKA_VERSION_PINS, STRIMZI_KAFKA_VERSION_PINS } from "../pins";

export const KAFKA_MODES = ["strimzi", "msk"] as const;
export type KafkaMode = (typeof KAFKA_MODES)[number];

/** Kafka versions the pinned Strimzi operator can run, from the pins table. */
export const STRIMZI_KAFKA_VERSIONS = STRIMZI_KAFKA_VERSION_PINS.versions;

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const logRetention: Field<number> = {
  allowed: `one of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts)`,
  parse: (raw) => (typeof raw === "number" && LOG_RETENTION_DAYS.includes(raw) ? raw : undefined),
};

/** Replicas of every topic per tier: the topic catalog (infra/kafka/topics.ts) sizes topics with it, so a cluster needs that many brokers. */
export const TOPIC_REPLICATION: Readonly<Record<Tier, number>> = { free: 1, production: 3 };

/** MSK takes 2 or 3 client subnets in distinct AZs; the broker count must be a multiple of it. */
export function mskSubnetCount(azCount: number): number {
  return Math.min(azCount, 3);
}

export function mskBrokerCount(brokersPerAz: number, azCount: number): number {
  return brokersPerAz * mskSubnetCount(azCount);
}

export interface KafkaProfile {
  /** strimzi: Kafka on EKS, run by the Strimzi operator. msk: Amazon MSK. The apps' contract is the same. */
  mode: KafkaMode;
  /** Strimzi broker nodes; with dedicatedControllers false they are also the KRaft controllers. */
  brokers: number;
  /** Separate KRaft controller pool of 3 (production) instead of broker nodes that also vote. */
  dedicatedControllers: boolean;
  kafkaVersion: (typeof STRIMZI_KAFKA_VERSIONS)[number];
  /** gp3 volume per Strimzi broker. */
  brokerStorageGb: number;
  brokerCpuMillis: number;
  brokerMemoryMi: number;
  /** Delete broker PVCs with the cluster (throwaway stacks) or keep them (data survives a mistake). */
  deleteClaims: boolean;
  /** MSK broker type, e.g. kafka.t3.small or kafka.m5.large. */
  mskInstanceType: string;
  /** MSK brokers per client subnet (AZ); MSK needs the total to be a multiple of the subnet count. */
  mskBrokersPerAz: number;
  /** MSK Apache Kafka version string, as MSK names them (e.g. "3.9.x"), from the pins table. */
  mskKafkaVersion: (typeof MSK_KAFKA_VERSION_PINS.versions)[number];
  mskStorageGb: number;
  /** CloudWatch retention of MSK broker logs. */
  mskLogRetentionDays: number;
  /** Kafka Connect with Debezium streaming the users tables out of PostgreSQL (turns on RDS logical replication). */
  cdc: boolean;
  /** Apicurio Registry pods. */
  schemaRegistryReplicas: number;
}

export const kafka = section<KafkaProfile>({
  fields: {
    mode: oneOf(...KAFKA_MODES),
    brokers: int(1, 30),
    dedicatedControllers: bool(),
    kafkaVersion: oneOf(...STRIMZI_KAFKA_VERSIONS),
    brokerStorageGb: int(10, 16384),
    brokerCpuMillis: int(250, 16000),
    brokerMemoryMi: int(1024, 65536),
    deleteClaims: bool(),
    mskInstanceType: text(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/, "an MSK broker type such as kafka.m5.large"),
    mskBrokersPerAz: int(1, 10),
    mskKafkaVersion: oneOf(...MSK_KAFKA_VERSION_PINS.versions),
    mskStorageGb: int(1, 16384),
    mskLogRetentionDays: logRetention,
    cdc: bool(),
    schemaRegistryReplicas: int(1, 5),
  },
  // One dual-role node (broker and KRaft controller): RF 1, nothing replicated.
  free: {
    mode: "strimzi",
    brokers: 1,
    dedicatedControllers: false,
    kafkaVersion: "4.2.1",
    brokerStorageGb: 10,
    brokerCpuMillis: 250,
    brokerMemoryMi: 1024,
    deleteClaims: true,
    mskInstanceType: "kafka.t3.small",
    mskBrokersPerAz: 1,
    mskKafkaVersion: "3.9.x",
    mskStorageGb: 10,
    mskLogRetentionDays: 7,
    cdc: false,
    schemaRegistryReplicas: 1,
  },
  // Three brokers spread over the AZs (rack-aware), three dedicated controllers, RF 3 with min ISR 2.
  production: {
    mode: "strimzi",
    brokers: 3,
    dedicatedControllers: true,
    kafkaVersion: "4.2.1",
    brokerStorageGb: 500,
    brokerCpuMillis: 2000,
    brokerMemoryMi: 8192,
    deleteClaims: false,
    mskInstanceType: "kafka.m5.large",
    mskBrokersPerAz: 1,
    mskKafkaVersion: "3.9.x",
    mskStorageGb: 500,
    mskLogRetentionDays: 90,
    cdc: true,
    schemaRegistryReplicas: 2,
  },
});

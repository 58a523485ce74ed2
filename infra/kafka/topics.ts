import type { Tier } from "../config";
import { TOPIC_REPLICATION } from "../config/sections/kafka";

/** Per-tier shape of one topic. */
export interface TopicSizing {
  readonly partitions: number;
  readonly replicas: number;
  /** -1 keeps records forever. */
  readonly retentionMs: number;
}

export interface TopicEntry {
  readonly name: string;
  /** Who owns the topic: the apps' event path, or a platform service's internal state. */
  readonly owner: "apps" | "schema-registry" | "connect";
  readonly cleanupPolicy: "delete" | "compact";
  readonly sizing: Readonly<Record<Tier, TopicSizing>>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FOREVER = -1;

/** Sizing for single-partition topics that keep state forever (registry journal, Connect configs). */
const stateTopic = (productionPartitions = 1): Record<Tier, TopicSizing> => ({
  free: { partitions: 1, replicas: TOPIC_REPLICATION.free, retentionMs: FOREVER },
  production: { partitions: productionPartitions, replicas: TOPIC_REPLICATION.production, retentionMs: FOREVER },
});

/** Sizing for the apps' event topics: RF 1 on free, 3 in production; retention in days. */
const eventTopic = (
  free: { readonly partitions: number; readonly days: number },
  production: { readonly partitions: number; readonly days: number },
): Record<Tier, TopicSizing> => ({
  free: { partitions: free.partitions, replicas: TOPIC_REPLICATION.free, retentionMs: free.days * DAY },
  production: { partitions: production.partitions, replicas: TOPIC_REPLICATION.production, retentionMs: production.days * DAY },
});

/**
 * THE topic catalog: every topic the platform creates, in one table. Strimzi KafkaTopics, the MSK
 * admin job, ACLs and the apps' contract are all derived from it. Free: 1-2 partitions, RF 1.
 */
export const TOPICS = {
  raw: { name: "player.events.raw", owner: "apps", cleanupPolicy: "delete", sizing: eventTopic({ partitions: 2, days: 1 }, { partitions: 12, days: 7 }) },
  processed: { name: "player.events.processed", owner: "apps", cleanupPolicy: "delete", sizing: eventTopic({ partitions: 2, days: 1 }, { partitions: 6, days: 7 }) },
  recommendations: { name: "recommendations.generated", owner: "apps", cleanupPolicy: "delete", sizing: eventTopic({ partitions: 1, days: 1 }, { partitions: 6, days: 3 }) },
  notifications: { name: "notifications", owner: "apps", cleanupPolicy: "delete", sizing: eventTopic({ partitions: 1, days: 1 }, { partitions: 1, days: 3 }) },
  // Longer than the inputs: poison messages wait here for a human.
  dlq: { name: "system.dlq", owner: "apps", cleanupPolicy: "delete", sizing: eventTopic({ partitions: 1, days: 7 }, { partitions: 1, days: 30 }) },
  // Apicurio KafkaSQL storage; it refuses to start unless these keep everything with cleanup "delete".
  registryJournal: { name: "kafkasql-journal", owner: "schema-registry", cleanupPolicy: "delete", sizing: stateTopic() },
  registrySnapshots: { name: "kafkasql-snapshots", owner: "schema-registry", cleanupPolicy: "delete", sizing: stateTopic() },
  registryEvents: { name: "registry-events", owner: "schema-registry", cleanupPolicy: "delete", sizing: stateTopic() },
  // Kafka Connect's own state (the CDC worker); compacted, as Connect requires.
  connectConfigs: { name: "connect-cdc.configs", owner: "connect", cleanupPolicy: "compact", sizing: stateTopic() },
  connectOffsets: { name: "connect-cdc.offsets", owner: "connect", cleanupPolicy: "compact", sizing: stateTopic(25) },
  connectStatus: { name: "connect-cdc.status", owner: "connect", cleanupPolicy: "compact", sizing: stateTopic(5) },
} as const satisfies Record<string, TopicEntry>;

export type TopicKey = keyof typeof TOPICS;
export const TOPIC_KEYS = Object.keys(TOPICS) as TopicKey[];

/** The topics the apps exchange events on: the ones in the apps' contract. */
export const APP_TOPIC_KEYS = TOPIC_KEYS.filter((k) => TOPICS[k].owner === "apps") as readonly AppTopicKey[];
export type AppTopicKey = { [K in TopicKey]: (typeof TOPICS)[K]["owner"] extends "apps" ? K : never }[TopicKey];

/** Debezium writes one topic per captured table under this prefix (`cdc.users.public.player_profiles`). */
export const CDC_TOPIC_PREFIX = "cdc.users";

/** A topic as it is created: name, counts and broker-side config. */
export interface TopicSpec {
  readonly key: TopicKey;
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly config: Readonly<Record<string, string | number>>;
}

/**
 * The topics to create for a tier. min.insync.replicas is one less than the replicas (at least 1),
 * so with RF 3 one broker may be down while acks=all still means two durable copies.
 * Connect topics exist only when CDC runs.
 */
export function topicSpecs(tier: Tier, opts: { readonly cdc: boolean }): TopicSpec[] {
  return TOPIC_KEYS.filter((key) => opts.cdc || TOPICS[key].owner !== "connect").map((key) => {
    const entry: TopicEntry = TOPICS[key];
    const s = entry.sizing[tier];
    return {
      key,
      name: entry.name,
      partitions: s.partitions,
      replicas: s.replicas,
      config: {
        "cleanup.policy": entry.cleanupPolicy,
        "retention.ms": s.retentionMs,
        "min.insync.replicas": minInsyncReplicas(s.replicas),
        ...(s.retentionMs === FOREVER ? { "retention.bytes": -1 } : {}),
      },
    };
  });
}

export function minInsyncReplicas(replicas: number): number {
  return Math.max(1, Math.min(2, replicas - 1));
}

/** The highest replication factor any topic of the tier asks for: the cluster needs at least that many brokers. */
export function maxReplicas(tier: Tier): number {
  return Math.max(...TOPIC_KEYS.map((k) => (TOPICS[k] as TopicEntry).sizing[tier].replicas));
}

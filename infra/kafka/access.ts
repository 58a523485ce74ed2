import type { AppName } from "../config/sections/apps";
import { CDC_TOPIC_PREFIX, TOPICS, type AppTopicKey, type TopicKey } from "./topics";

/** What one principal may do: topics it reads and writes; reading implies its own consumer group. */
export interface TopicAccess {
  readonly read: readonly TopicKey[];
  readonly write: readonly TopicKey[];
  /** It shows the other apps' consumer lag: Describe on their groups and on the topics they read, nothing more. */
  readonly observesConsumers?: boolean;
}

/**
 * THE access table: which app reads and writes which topic. Only apps in the catalog (APP_NAMES) can
 * appear; an app absent here gets no Kafka identity at all. ACLs, credentials and the contract are derived from it.
 */
export const APP_ACCESS = {
  ingestion: { read: [], write: ["raw"] },
  processor: { read: ["raw"], write: ["processed", "dlq"] },
  analytics: { read: ["processed"], write: [] },
  // Requests on its topic, and processed events for the trigger rules (one group reads both).
  notifications: { read: ["notifications", "processed"], write: ["dlq"] },
  recommendations: { read: ["processed"], write: ["recommendations"] },
  // The operators' API: the DLQ browsed and replayed into raw events (the processor's poison is all it
  // replays), and the consumer lag of every app above.
  users: { read: ["dlq"], write: ["raw"], observesConsumers: true },
} as const satisfies Partial<Record<AppName, { read: readonly AppTopicKey[]; write: readonly AppTopicKey[]; observesConsumers?: boolean }>>;

export type KafkaApp = keyof typeof APP_ACCESS;
export const KAFKA_APPS = Object.keys(APP_ACCESS) as KafkaApp[];

/** Platform services with their own Kafka identity (not apps: they never see the apps' contract). */
export const SERVICE_USERS = { schemaRegistry: "schema-registry", connect: "cdc-connect" } as const;
export const SCHEMA_REGISTRY_GROUP_PREFIX = "apicurio-registry-";
export const CONNECT_GROUP = "connect-cdc";

export type AclOperation = "Read" | "Write" | "Create" | "Describe" | "DescribeConfigs";
export type AclResource =
  | { readonly type: "topic"; readonly name: string; readonly patternType: "literal" | "prefix" }
  | { readonly type: "group"; readonly name: string; readonly patternType: "literal" | "prefix" };

/** One allow rule, in the shape Strimzi's KafkaUser takes (`spec.authorization.acls[]`). */
export interface AclRule {
  readonly resource: AclResource;
  readonly operations: readonly AclOperation[];
}

/** The consumer group an app consumes with: one per app, named after it. */
export function consumerGroup(app: KafkaApp): string {
  return `gamemetrics.${app}`;
}

/**
 * Apps whose consumers each join a group of their own, `<consumerGroup(app)>.<suffix>`, so the ACL admits
 * that prefix instead of one group: the analytics API (every pod sees every record of its live counters)
 * and the users service (each DLQ read of the operator API, so reads never share partitions).
 */
export const PREFIXED_GROUP_APPS: ReadonlySet<KafkaApp> = new Set<KafkaApp>(["analytics", "users"]);

/** The Kafka principal (SCRAM user name) of an app. */
export function kafkaUserName(app: KafkaApp): string {
  return `app-${app}`;
}

/**
 * Least-privilege ACLs for an app: Read+Describe on what it reads (plus its own group), Write+Describe
 * on what it writes. No Create, no cluster rights: topics come only from the catalog. Idempotent
 * producers need only Write since Kafka 3.0 (KIP-679), so no IdempotentWrite either.
 */
export function appAcls(app: KafkaApp): AclRule[] {
  const access: TopicAccess = APP_ACCESS[app];
  const own = new Set([...access.read, ...access.write]);
  // Lag is the group's committed offsets (Describe on the group) against the end offsets of what it reads (Describe on the topic).
  const observedTopics = access.observesConsumers === true ? [...new Set(observedApps(app).flatMap((a) => APP_ACCESS[a].read))].filter((k) => !own.has(k)) : [];
  return [
    ...topicRules(access),
    ...observedTopics.map((k) => ({ resource: topic(TOPICS[k].name), operations: ["Describe"] as const })),
    ...(access.read.length > 0 ? [{ resource: groupOf(app), operations: ["Read"] as const }] : []),
    ...observedGroups(app).map((resource) => ({ resource, operations: ["Describe"] as const })),
  ];
}

/** The other apps that consume, when `app` observes consumers (none otherwise). */
function observedApps(app: KafkaApp): KafkaApp[] {
  const access: TopicAccess = APP_ACCESS[app];
  return access.observesConsumers === true ? KAFKA_APPS.filter((a) => a !== app && APP_ACCESS[a].read.length > 0) : [];
}

/** The consumer groups whose lag `app` shows: each consuming app's group (its prefix for PREFIXED_GROUP_APPS). */
export function observedGroups(app: KafkaApp): AclResource[] {
  return observedApps(app).map(groupOf);
}

/** Apicurio KafkaSQL: its three storage topics and its per-instance groups. */
export function schemaRegistryAcls(): AclRule[] {
  const topics: TopicKey[] = ["registryJournal", "registrySnapshots", "registryEvents"];
  return [
    ...topics.map((k) => ({ resource: topic(TOPICS[k].name), operations: ["Read", "Write", "Describe", "DescribeConfigs"] as const })),
    { resource: { type: "group", name: SCHEMA_REGISTRY_GROUP_PREFIX, patternType: "prefix" }, operations: ["Read"] },
  ];
}

/**
 * The CDC Connect worker: its state topics and group, and Create/Write under the CDC prefix,
 * where Debezium makes one topic per captured table (Connect's topic creation, KIP-158).
 */
export function connectAcls(): AclRule[] {
  const topics: TopicKey[] = ["connectConfigs", "connectOffsets", "connectStatus"];
  return [
    ...topics.map((k) => ({ resource: topic(TOPICS[k].name), operations: ["Read", "Write", "Describe", "DescribeConfigs"] as const })),
    { resource: { type: "topic", name: `${CDC_TOPIC_PREFIX}.`, patternType: "prefix" }, operations: ["Create", "Write", "Describe", "DescribeConfigs"] },
    { resource: group(CONNECT_GROUP), operations: ["Read"] },
  ];
}

/** A principal and its rules: what both the Strimzi KafkaUsers and the MSK admin job apply. */
export interface Principal {
  readonly user: string;
  readonly acls: readonly AclRule[];
}

/** Every principal the platform creates for a stack. */
export function principals(opts: { readonly cdc: boolean }): Principal[] {
  return [
    ...KAFKA_APPS.map((app) => ({ user: kafkaUserName(app), acls: appAcls(app) })),
    { user: SERVICE_USERS.schemaRegistry, acls: schemaRegistryAcls() },
    ...(opts.cdc ? [{ user: SERVICE_USERS.connect, acls: connectAcls() }] : []),
  ];
}

function topicRules(access: TopicAccess): AclRule[] {
  const keys = [...new Set([...access.read, ...access.write])];
  return keys.map((k) => ({
    resource: topic(TOPICS[k].name),
    operations: [...(access.read.includes(k) ? (["Read"] as const) : []), ...(access.write.includes(k) ? (["Write"] as const) : []), "Describe"],
  }));
}

const topic = (name: string): AclResource => ({ type: "topic", name, patternType: "literal" });
const group = (name: string): AclResource => ({ type: "group", name, patternType: "literal" });
const groupOf = (app: KafkaApp): AclResource =>
  PREFIXED_GROUP_APPS.has(app) ? { type: "group", name: `${consumerGroup(app)}.`, patternType: "prefix" } : group(consumerGroup(app));

// Topics and ACLs (local platform, tests, bench, tools); the apps' own principals may do neither.
import { AclOperations, AclPermissionTypes, Admin, ResourcePatternTypes, ResourceTypes } from "@platformatic/kafka";
import { baseOptions } from "./connection";
import { LOCAL_PARTITIONS, type KafkaOptions, type Topics } from "./types";

async function withAdmin<T>(o: KafkaOptions, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin(baseOptions(o));
  try {
    return await fn(admin);
  } finally {
    await admin.close();
  }
}

/** Creates the topics that are missing; existing ones are left as they are. */
export function createTopics(o: KafkaOptions, specs: { topic: string; partitions: number }[]): Promise<void> {
  return withAdmin(o, async (admin) => {
    const existing = new Set(await admin.listTopics());
    for (const s of specs.filter((x) => !existing.has(x.topic))) {
      await admin.createTopics({ topics: [s.topic], partitions: s.partitions, replicas: 1 }).catch((err: Error) => {
        if (!/already exists/i.test(JSON.stringify(err, Object.getOwnPropertyNames(err)))) throw err; // created meanwhile
      });
    }
  });
}

/** Deletes the topics whose names start with prefix (bench and tool runs clean up after themselves). */
export function deleteTopics(o: KafkaOptions, prefix: string): Promise<void> {
  return withAdmin(o, async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
}

/** The platform's topics, sized for a single local broker. */
export function ensureTopics(o: KafkaOptions, names: Topics, partitions = LOCAL_PARTITIONS): Promise<void> {
  return createTopics(o, (Object.keys(names) as (keyof Topics)[]).map((k) => ({ topic: names[k], partitions: partitions[k] })));
}

/** ListOffsets timestamps: the oldest offset a partition still holds, and the next one to be written. */
const EARLIEST = -2n;
const LATEST = -1n;

async function listed(admin: Admin, topics: readonly string[], timestamp: bigint): Promise<Map<string, Map<number, bigint>>> {
  if (topics.length === 0) return new Map();
  const meta = await admin.metadata({ topics: [...topics] });
  const requests = topics.map((name) => ({ name, partitions: Array.from({ length: meta.topics.get(name)?.partitionsCount ?? 0 }, (_, partitionIndex) => ({ partitionIndex, timestamp })) }));
  const answer = await admin.listOffsets({ topics: requests });
  return new Map(answer.map((t) => [t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p.offset]))]));
}

/** The next offset of each partition of a topic (how far it has been written). */
export function endOffsets(o: KafkaOptions, topic: string): Promise<Map<number, bigint>> {
  return withAdmin(o, async (admin) => (await listed(admin, [topic], LATEST)).get(topic) ?? new Map());
}

/** Per partition of a topic, the offsets it holds: `start` (retention deleted what is below) up to `end`, exclusive. */
export function offsetBounds(o: KafkaOptions, topic: string): Promise<Map<number, { start: bigint; end: bigint }>> {
  return withAdmin(o, async (admin) => {
    const starts = (await listed(admin, [topic], EARLIEST)).get(topic) ?? new Map<number, bigint>();
    const ends = (await listed(admin, [topic], LATEST)).get(topic) ?? new Map<number, bigint>();
    return new Map([...ends].map(([p, end]) => [p, { start: starts.get(p) ?? 0n, end }]));
  });
}

/** A consumer group's committed offset per topic and partition. */
export interface GroupOffsets {
  readonly group: string;
  readonly state: string;
  readonly committed: ReadonlyMap<string, ReadonlyMap<number, bigint>>;
}

/**
 * The groups `wanted` admits (of those the principal may describe: the broker lists no others), their
 * state and committed offsets, and the end offsets of every topic they committed on: what lag is made of.
 */
export function groupOffsets(o: KafkaOptions, wanted: (group: string) => boolean): Promise<{ groups: GroupOffsets[]; ends: Map<string, Map<number, bigint>> }> {
  return withAdmin(o, async (admin) => {
    const found = [...(await admin.listGroups()).values()].filter((g) => wanted(g.id)).sort((a, b) => a.id.localeCompare(b.id));
    const offsets = found.length === 0 ? [] : await admin.listConsumerGroupOffsets({ groups: found.map((g) => g.id) });
    const groups = found.map((g) => {
      const topics = offsets.find((x) => x.groupId === g.id)?.topics ?? [];
      // -1: no offset committed on that partition (yet).
      const committed = new Map(topics.map((t) => [t.name, new Map(t.partitions.filter((p) => p.committedOffset >= 0n).map((p) => [p.partitionIndex, p.committedOffset]))]));
      return { group: g.id, state: String(g.state), committed };
    });
    const topics = [...new Set(groups.flatMap((g) => [...g.committed.keys()]))].sort();
    return { groups, ends: await listed(admin, topics, LATEST) };
  });
}

/** One ALLOW rule for one principal, in the broker's own terms. */
export interface AclBinding {
  principal: string;
  resource: "topic" | "group";
  name: string;
  pattern: "literal" | "prefix";
  operation: "Read" | "Write" | "Create" | "Describe" | "DescribeConfigs";
}

const OPERATIONS = {
  Read: AclOperations.READ,
  Write: AclOperations.WRITE,
  Create: AclOperations.CREATE,
  Describe: AclOperations.DESCRIBE,
  DescribeConfigs: AclOperations.DESCRIBE_CONFIGS,
} as const;

/** Creates ALLOW ACLs (an identical existing ACL stays as it is); needs a principal allowed to alter the cluster. */
export function createAcls(o: KafkaOptions, bindings: AclBinding[]): Promise<void> {
  return withAdmin(o, (admin) =>
    admin.createAcls({
      creations: bindings.map((b) => ({
        principal: b.principal,
        host: "*",
        resourceType: b.resource === "topic" ? ResourceTypes.TOPIC : ResourceTypes.GROUP,
        resourceName: b.name,
        resourcePatternType: b.pattern === "literal" ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
        operation: OPERATIONS[b.operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    }),
  );
}

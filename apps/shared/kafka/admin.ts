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

/** The next offset of each partition of a topic (how far it has been written). */
export function endOffsets(o: KafkaOptions, topic: string): Promise<Map<number, bigint>> {
  return withAdmin(o, async (admin) => {
    const meta = await admin.metadata({ topics: [topic] });
    const count = meta.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n }));
    const listed = await admin.listOffsets({ topics: [{ name: topic, partitions }] });
    return new Map((listed[0]?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
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

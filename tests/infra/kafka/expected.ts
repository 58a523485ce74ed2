// Expectations written out by hand from the issue, NOT derived from infra/kafka's tables:
// if a table drifts (an extra ACL, a wrong partition count), these catch it.
import type { CapturedResource } from "../../../infra/tools/capture";

/** `topic|group:literal|prefix:name:Operation` for every allow rule a principal should hold. */
export const EXPECTED_ACLS: Readonly<Record<string, readonly string[]>> = {
  "app-ingestion": ["topic:literal:player.events.raw:Write", "topic:literal:player.events.raw:Describe"],
  "app-processor": [
    "topic:literal:player.events.raw:Read",
    "topic:literal:player.events.raw:Describe",
    "topic:literal:player.events.processed:Write",
    "topic:literal:player.events.processed:Describe",
    "topic:literal:system.dlq:Write",
    "topic:literal:system.dlq:Describe",
    "group:literal:gamemetrics.processor:Read",
  ],
  "app-analytics": [
    "topic:literal:player.events.processed:Read",
    "topic:literal:player.events.processed:Describe",
    // One group per pod, each pod seeing every record: the prefix, with its trailing dot.
    "group:prefix:gamemetrics.analytics.:Read",
  ],
  "app-notifications": [
    "topic:literal:notifications:Read",
    "topic:literal:notifications:Describe",
    "topic:literal:player.events.processed:Read",
    "topic:literal:player.events.processed:Describe",
    "topic:literal:system.dlq:Write",
    "topic:literal:system.dlq:Describe",
    "group:literal:gamemetrics.notifications:Read",
  ],
  "app-recommendations": [
    "topic:literal:player.events.processed:Read",
    "topic:literal:player.events.processed:Describe",
    "topic:literal:recommendations.generated:Write",
    "topic:literal:recommendations.generated:Describe",
    "group:literal:gamemetrics.recommendations:Read",
  ],
  // The operators' API: browses and replays the DLQ (into raw events only), and reads every consuming
  // app's lag: Describe on their groups and on the topics they read, never Read on them.
  "app-users": [
    "topic:literal:system.dlq:Read",
    "topic:literal:system.dlq:Describe",
    "topic:literal:player.events.raw:Write",
    "topic:literal:player.events.raw:Describe",
    "topic:literal:player.events.processed:Describe",
    "topic:literal:notifications:Describe",
    // One group per DLQ read (reads never share partitions): its prefix.
    "group:prefix:gamemetrics.users.:Read",
    "group:literal:gamemetrics.processor:Describe",
    "group:prefix:gamemetrics.analytics.:Describe",
    "group:literal:gamemetrics.notifications:Describe",
    "group:literal:gamemetrics.recommendations:Describe",
  ],
  "schema-registry": [
    ...["kafkasql-journal", "kafkasql-snapshots", "registry-events"].flatMap((t) =>
      ["Read", "Write", "Describe", "DescribeConfigs"].map((op) => `topic:literal:${t}:${op}`),
    ),
    "group:prefix:apicurio-registry-:Read",
  ],
};

/** Only when CDC runs (production by default). */
export const EXPECTED_CONNECT_ACLS: readonly string[] = [
  ...["connect-cdc.configs", "connect-cdc.offsets", "connect-cdc.status"].flatMap((t) =>
    ["Read", "Write", "Describe", "DescribeConfigs"].map((op) => `topic:literal:${t}:${op}`),
  ),
  ...["Create", "Write", "Describe", "DescribeConfigs"].map((op) => `topic:prefix:cdc.users.:${op}`),
  "group:literal:connect-cdc:Read",
];

/** Partitions/replicas/retention of the apps' topics per tier, from the issue's seed sizing. */
export const EXPECTED_APP_TOPICS = {
  production: {
    "player.events.raw": { partitions: 12, replicas: 3, retentionMs: 7 * 86_400_000 },
    "player.events.processed": { partitions: 6, replicas: 3, retentionMs: 7 * 86_400_000 },
    "recommendations.generated": { partitions: 6, replicas: 3, retentionMs: 3 * 86_400_000 },
    notifications: { partitions: 1, replicas: 3, retentionMs: 3 * 86_400_000 },
    "system.dlq": { partitions: 1, replicas: 3, retentionMs: 30 * 86_400_000 },
  },
  free: {
    "player.events.raw": { partitions: 2, replicas: 1, retentionMs: 86_400_000 },
    "player.events.processed": { partitions: 2, replicas: 1, retentionMs: 86_400_000 },
    "recommendations.generated": { partitions: 1, replicas: 1, retentionMs: 86_400_000 },
    notifications: { partitions: 1, replicas: 1, retentionMs: 86_400_000 },
    "system.dlq": { partitions: 1, replicas: 1, retentionMs: 7 * 86_400_000 },
  },
} as const;

export const APP_SECRET_NAMES = ["kafka-ingestion", "kafka-processor", "kafka-analytics", "kafka-notifications", "kafka-recommendations", "kafka-users"];

interface StrimziAcl {
  resource: { type: string; name: string; patternType: string };
  operations: string[];
}

/** Flattens a KafkaUser's ACL rules into the EXPECTED_ACLS notation. */
export function strimziAcls(user: CapturedResource): string[] {
  const spec = user.inputs.spec as { authorization: { acls: StrimziAcl[] } };
  return spec.authorization.acls.flatMap((a) => a.operations.map((op) => `${a.resource.type}:${a.resource.patternType}:${a.resource.name}:${op}`));
}

/** Parses the MSK admin script's kafka-acls.sh lines into principal -> rules in the same notation. */
export function scriptAcls(script: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const line of script.split("\n").filter((l) => l.includes("kafka-acls.sh"))) {
    const principal = /--allow-principal 'User:([^']+)'/.exec(line)?.[1];
    const resource = /--(topic|group) '([^']+)' --resource-pattern-type (\w+)/.exec(line);
    if (principal === undefined || resource === null) throw new Error(`unparsable ACL line: ${line}`);
    const ops = [...line.matchAll(/--operation (\w+)/g)].map((m) => m[1]);
    (result[principal] ??= []).push(...ops.map((op) => `${resource[1]}:${resource[3]}:${resource[2]}:${op}`));
  }
  return result;
}

/** Parses the MSK admin script's topic creation lines. */
export function scriptTopics(script: string): Record<string, { partitions: number; replicas: number; config: string[] }> {
  const result: Record<string, { partitions: number; replicas: number; config: string[] }> = {};
  for (const line of script.split("\n").filter((l) => l.includes("kafka-topics.sh") && l.includes("--create"))) {
    const m = /--topic '([^']+)' --partitions (\d+) --replication-factor (\d+)/.exec(line);
    if (m === null) throw new Error(`unparsable topic line: ${line}`);
    result[m[1]] = { partitions: Number(m[2]), replicas: Number(m[3]), config: [...line.matchAll(/--config '([^']+)'/g)].map((c) => c[1]) };
  }
  return result;
}

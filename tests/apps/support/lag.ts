// Consumer lag computed the plain way, straight with the client library's Admin (not apps/shared/kafka's
// lag code): what the operators' status must agree with.
import { Admin } from "@platformatic/kafka";
import { baseOptions, type KafkaOptions, runBatchConsumer } from "../../../apps/shared/kafka";
import { eventually, post, type Stack } from "./stack";

/** Per topic, end offset minus committed offset summed over the partitions the group committed on. */
export async function independentLag(o: KafkaOptions, group: string): Promise<Record<string, number>> {
  const admin = new Admin(baseOptions(o));
  try {
    const [committed] = await admin.listConsumerGroupOffsets({ groups: [group] });
    const out: Record<string, number> = {};
    for (const t of committed?.topics ?? []) {
      const parts = t.partitions.filter((p) => p.committedOffset >= 0n);
      const [ends] = await admin.listOffsets({ topics: [{ name: t.name, partitions: parts.map((p) => ({ partitionIndex: p.partitionIndex, timestamp: -1n })) }] });
      out[t.name] = parts.reduce((sum, p) => sum + Number((ends.partitions.find((e) => e.partitionIndex === p.partitionIndex)?.offset ?? 0n) - p.committedOffset), 0);
    }
    return out;
  } finally {
    await admin.close();
  }
}

/**
 * A known lag: the recommendations group reads up to one processed event of `player` (posted to
 * ingestion now) and stops. What is processed next for that player (one key, one partition) is its lag.
 * Returns the group.
 */
export async function recommendationsReadUpTo(stack: Stack, player: string): Promise<string> {
  const sent = await post(`${stack.ingestionUrl}/v1/events/batch`, { events: [{ type: "design", player_id: player, design_id: "ui.lag" }] }, { "x-api-key": stack.apiKey });
  if (sent.status !== 202) throw new Error(`ingestion answered ${sent.status}`);
  const group = `${stack.prefix}gamemetrics.recommendations`;
  let handled = false;
  const reader = await runBatchConsumer({
    ...stack.kafkaAs("recommendations"),
    groupId: group,
    topic: stack.topics.processed,
    sessionTimeoutMs: 6000,
    handle: async (records) => void (handled ||= records.some((r) => r.key?.toString() === player)),
    onFatal: () => undefined,
  });
  try {
    await eventually(`the recommendations group to read ${player}'s event`, async () => (handled ? true : undefined));
  } finally {
    await reader.stop();
  }
  return group;
}

// Consumer lag computed the plain way, straight with the client library's Admin (not apps/shared/kafka's
// lag code): what the operators' status must agree with.
import { Admin } from "@platformatic/kafka";
import { baseOptions, type KafkaOptions } from "../../../apps/shared/kafka";

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

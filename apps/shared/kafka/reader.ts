// Reads a whole topic from its start (tests, the DLQ tool); not for the services' hot paths.
import { Consumer, type Message, MessagesStreamModes } from "@platformatic/kafka";
import { endOffsets } from "./admin";
import { baseOptions } from "./connection";
import { toInRecord } from "./consumer";
import type { InRecord, KafkaOptions } from "./types";

/** Reads a topic from the beginning until `until` is satisfied or the time runs out. Commits nothing. */
export async function readTopic(o: KafkaOptions, topic: string, until: (seen: InRecord[]) => boolean, timeoutMs: number): Promise<InRecord[]> {
  const seen: InRecord[] = [];
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({ ...baseOptions(o), groupId: `reader-${process.pid}-${Date.now()}`, maxWaitTime: 100, autocommit: false });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      stream.on("error", (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
      stream.on("data", (m: Message) => {
        seen.push(toInRecord(m));
        if (until(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await stream.close();
    return seen;
  } finally {
    await consumer.close(true);
  }
}

/** Every record a topic holds now (read up to the end offsets taken when it starts). */
export async function readWholeTopic(o: KafkaOptions, topic: string, timeoutMs = 30_000): Promise<InRecord[]> {
  const ends = await endOffsets(o, topic);
  const total = [...ends.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return [];
  const done = (seen: InRecord[]) => [...ends].every(([p, end]) => end === 0n || seen.some((r) => r.partition === p && BigInt(r.offset) >= end - 1n));
  const seen = await readTopic(o, topic, done, timeoutMs);
  return seen.filter((r) => BigInt(r.offset) < (ends.get(r.partition) ?? 0n));
}

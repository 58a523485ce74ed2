// Reads a whole topic from its start (tests, the DLQ tool); not for the services' hot paths.
import { Consumer, type Message, MessagesStreamModes } from "@platformatic/kafka";
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

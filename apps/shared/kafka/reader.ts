// Reads a topic from its start, or ranges of it (tests, the DLQ tool and browser); not for the services' hot paths.
import { Consumer, type Message, MessagesStreamModes } from "@platformatic/kafka";
import { randomBytes } from "node:crypto";
import { offsetBounds } from "./admin";
import { baseOptions } from "./connection";
import { toInRecord } from "./consumer";
import type { InRecord, KafkaOptions } from "./types";

/**
 * The consumer group a read joins: its own, so reads never share partitions. An app's principal may
 * join only groups under its own prefix (infra/kafka/access.ts), so it names the prefix.
 */
const readerGroup = (prefix = "reader") => `${prefix}.${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

/** Reads a topic from the beginning (or from `from` per partition) until `until` is satisfied or the time runs out. Commits nothing. */
export async function readTopic(
  o: KafkaOptions,
  topic: string,
  until: (seen: InRecord[]) => boolean,
  timeoutMs: number,
  opts: { groupPrefix?: string; from?: ReadonlyMap<number, bigint> } = {},
): Promise<InRecord[]> {
  const seen: InRecord[] = [];
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({ ...baseOptions(o), groupId: readerGroup(opts.groupPrefix), maxWaitTime: 100, autocommit: false });
  try {
    const from = opts.from === undefined ? undefined : [...opts.from].map(([partition, offset]) => ({ topic, partition, offset }));
    const stream = await consumer.consume({ topics: [topic], autocommit: false, ...(from === undefined ? { mode: MessagesStreamModes.EARLIEST } : { mode: MessagesStreamModes.MANUAL, offsets: from }) });
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
export async function readWholeTopic(o: KafkaOptions, topic: string, timeoutMs = 30_000, groupPrefix?: string): Promise<InRecord[]> {
  const bounds = await offsetBounds(o, topic);
  return readRange(o, topic, new Map([...bounds].map(([p, b]) => [p, { from: b.start, to: b.end }])), timeoutMs, groupPrefix);
}

/**
 * The records of each partition from `from` up to `to` (exclusive), for every partition of the topic:
 * a partition to skip has from = to at its end. Offsets below what retention kept are read from the oldest kept.
 */
export async function readRange(o: KafkaOptions, topic: string, ranges: ReadonlyMap<number, { from: bigint; to: bigint }>, timeoutMs = 30_000, groupPrefix?: string): Promise<InRecord[]> {
  const wanted = [...ranges].filter(([, r]) => r.to > r.from);
  if (wanted.length === 0) return [];
  const inRange = (r: InRecord) => {
    const range = ranges.get(r.partition);
    return range !== undefined && BigInt(r.offset) >= range.from && BigInt(r.offset) < range.to;
  };
  // Offsets are contiguous (no transactions write here): the range is read once its last offset arrived.
  const done = (seen: InRecord[]) => wanted.every(([p, r]) => seen.some((x) => x.partition === p && BigInt(x.offset) >= r.to - 1n));
  const from = new Map([...ranges].map(([p, r]) => [p, r.from]));
  return (await readTopic(o, topic, done, timeoutMs, { groupPrefix, from })).filter(inRange);
}

// A consumer-group reader that hands over one partition's records at a time and commits after them.
import { Consumer, type Message, type MessagesStream, MessagesStreamFallbackModes, MessagesStreamModes } from "@platformatic/kafka";
import { baseOptions } from "./connection";
import type { InRecord, KafkaOptions } from "./types";

export interface BatchConsumerOptions extends KafkaOptions {
  groupId: string;
  /** One topic or several read by the same group (e.g. requests and the events that trigger them). */
  topic: string | readonly string[];
  sessionTimeoutMs: number;
  /** Where a group without committed offsets starts: the oldest record (default) or only new ones (live views). */
  fromBeginning?: boolean;
  /**
   * Handles one batch of one partition. Offsets up to the batch's last record are committed
   * only after it resolves; when it throws nothing is committed and the same batch is handed over
   * again (after a back-off) until it succeeds: a store that is away stalls the partition, loses nothing.
   */
  handle: (records: InRecord[]) => Promise<void | HandledBatch>;
  /** Fetch size per partition, which bounds one batch (and so the memory it holds while it is stored). */
  maxBytesPerPartition?: number;
  /** The consumer cannot go on (for example its credentials were refused): the process should exit and be restarted. */
  onFatal: (err: Error) => void;
  /** Consumer-group lag per partition (log end offset minus committed offset), every `lagIntervalMs`. */
  onLag?: (lag: { topic?: string; partition: number; lag: number }[]) => void;
  lagIntervalMs?: number;
  /** A batch failed and is being retried (the error), or went through after failing (undefined). */
  onHandlerError?: (err: Error | undefined) => void;
}

/**
 * A handler may finish a batch's own work and leave a follow-up in flight (a republish): the next
 * batch starts at once, and this batch's offsets are committed when `durable` resolves, in order.
 */
export interface HandledBatch {
  durable: Promise<void>;
}

export interface ConsumerStatus {
  /** The last batch handed over failed and is being retried: the consumer makes no progress. */
  failing: boolean;
  lastError?: string;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  status(): ConsumerStatus;
}

/** Most records handed over per drain of the stream; the fetch size usually bounds a batch first. */
const MAX_DRAIN = 10_000;

export function toInRecord(m: Message): InRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of m.headers) headers[k.toString()] = v.toString();
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset.toString(),
    timestamp: Number(m.timestamp),
    key: m.key === undefined || m.key === null ? null : m.key,
    value: m.value === undefined || m.value === null ? null : m.value,
    headers,
  };
}

/**
 * Hands over what the stream holds now or, when it holds nothing, what it receives next ([] once it
 * ends). Its "readable" listener stays attached for the stream's life: the client fetches only while
 * someone listens, and removing the last listener would stop it fetching.
 */
function drainer(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): () => Promise<Message[]> {
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  stream.on("readable", signal);
  stream.once("close", signal);
  const take = (): Message[] => {
    const out: Message[] = [];
    for (let m = stream.read() as Message | null; m !== null; m = out.length < MAX_DRAIN ? (stream.read() as Message | null) : null) out.push(m);
    return out;
  };
  return async () => {
    for (;;) {
      const now = take();
      if (now.length > 0 || stream.readableEnded || stream.destroyed) return now;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBatchConsumer(o: BatchConsumerOptions): Promise<RunningConsumer> {
  const topics = typeof o.topic === "string" ? [o.topic] : [...o.topic];
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
    ...baseOptions(o),
    // A broker that is away is waited for, however long: giving up would only restart the same wait.
    retries: Number.POSITIVE_INFINITY,
    groupId: o.groupId,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: Math.floor(o.sessionTimeoutMs / 5),
    maxWaitTime: 100,
    maxBytesPerPartition: o.maxBytesPerPartition,
    autocommit: false,
  });
  const stream = await consumer
    .consume({
      topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: o.fromBeginning === false ? MessagesStreamFallbackModes.LATEST : MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: Math.floor(o.sessionTimeoutMs / 5),
      maxBytesPerPartition: o.maxBytesPerPartition,
    })
    .catch(async (err: unknown) => {
      await consumer.close(true).catch(() => undefined);
      throw err;
    });
  let running = true;
  const status: ConsumerStatus = { failing: false };
  stream.on("error", (err: Error) => {
    if (running) o.onFatal(err);
  });
  if (o.onLag !== undefined) {
    const report = o.onLag;
    consumer.on("consumer:lag", (lag) =>
      report(topics.flatMap((t) => (lag.get(t) ?? []).map((l, partition) => ({ ...(topics.length > 1 ? { topic: t } : {}), partition, lag: Math.max(0, Number(l)) })))),
    );
    consumer.on("consumer:lag:error", (err: Error) => o.logger.debug({ err: err.message }, "lag not measured"));
    consumer.startLagMonitoring({ topics }, o.lagIntervalMs ?? 5000);
  }

  // Per topic partition, commits run in offset order behind each batch's `durable`; after a failed one
  // the partition commits nothing more in this session (a later offset would cover the failed batch).
  const commits = new Map<string, Promise<void>>();
  const broken = new Set<string>();
  // At most this many batches per partition wait for their follow-up: bounded memory when the
  // follow-up (Kafka) is slower than the batches (PostgreSQL).
  const pending = new Map<string, number>();
  const MAX_PENDING = 2;
  const commit = (m: Message) =>
    (m.commit() as Promise<void>).catch((err: Error) =>
      // Refused because the partition moved to another member in a rebalance: harmless, the new
      // owner replays from the last commit and the store makes the replay a no-op.
      o.logger.info({ err: err.message, partition: m.partition }, "offset commit refused; the batch will be replayed"),
    );

  /** One partition's records: handled until it succeeds (or we stop), then committed. */
  const handlePartition = async (messages: Message[]) => {
    const records = messages.map(toInRecord);
    const { partition } = records[0];
    const tp = `${records[0].topic}\u0000${partition}`;
    if ((pending.get(tp) ?? 0) >= MAX_PENDING) await commits.get(tp);
    let result: void | HandledBatch = undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        result = await o.handle(records);
        if (status.failing) o.onHandlerError?.(undefined);
        status.failing = false;
        break;
      } catch (err) {
        status.failing = true;
        status.lastError = (err as Error).message;
        o.onHandlerError?.(err as Error);
        o.logger.warn({ err: (err as Error).message, partition, offset: records[0].offset, attempt }, "batch failed; retrying it");
        await sleep(Math.min(5000, 250 * 2 ** Math.min(attempt, 5)));
        if (!running) return; // not committed: the next owner of the partition replays it
      }
    }
    const last = messages[messages.length - 1];
    const durable = result?.durable ?? Promise.resolve();
    pending.set(tp, (pending.get(tp) ?? 0) + 1);
    const next = (commits.get(tp) ?? Promise.resolve())
      .then(() => durable)
      .then(
        () => (broken.has(tp) ? undefined : commit(last)),
        (err: Error) => {
          broken.add(tp);
          o.logger.warn({ err: err.message, partition }, "a batch's follow-up failed; its offsets stay uncommitted and it will be replayed");
        },
      )
      .finally(() => pending.set(tp, (pending.get(tp) ?? 1) - 1));
    commits.set(tp, next);
    if (result?.durable === undefined) await next;
  };

  let inFlight: Promise<unknown> = Promise.resolve();
  const drain = drainer(stream);
  const loop = (async () => {
    while (running) {
      const messages = await drain();
      if (messages.length === 0) {
        if (stream.readableEnded || stream.destroyed) break;
        continue;
      }
      const byPartition = new Map<string, Message[]>();
      for (const m of messages) {
        const k = `${m.topic}\u0000${m.partition}`;
        const list = byPartition.get(k) ?? [];
        list.push(m);
        byPartition.set(k, list);
      }
      inFlight = Promise.all([...byPartition.values()].map(handlePartition));
      await inFlight;
    }
  })();

  return {
    status: () => ({ ...status }),
    stop: async () => {
      running = false;
      consumer.stopLagMonitoring();
      await inFlight; // the batch in hand is finished
      await Promise.all(commits.values()); // and every batch handed over is committed (or left for replay)
      await stream.close();
      await loop;
      await consumer.close();
    },
  };
}

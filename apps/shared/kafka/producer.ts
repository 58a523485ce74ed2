// acks=all, idempotent producer behind group commit.
import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializer } from "@platformatic/kafka";
import { GroupCommitter } from "../group-commit";
import { baseOptions } from "./connection";
import type { KafkaOptions, OutRecord } from "./types";

const toBuffer = (v?: string | Buffer): Buffer | undefined => (v === undefined || Buffer.isBuffer(v) ? v : Buffer.from(v));

/**
 * `send` resolves only when every record is acknowledged by the in-sync replicas. Records from
 * concurrent callers are grouped into one produce request; one caller's records always travel in
 * the same request, so a failure means none of that caller's records was acknowledged.
 *
 * After a failed produce, @platformatic/kafka drops the producer id and its sequence numbers and
 * asks the broker for a new id before the next send: a later send is never judged against the
 * sequences of a request that failed (kafkajs rolls them back and can be acked as a duplicate).
 */
export class DurableProducer {
  private readonly producer: Producer<string, string | Buffer, string, string>;
  private readonly committer: GroupCommitter<OutRecord>;
  private connected = false;
  private lastError: { at: number; message: string } | undefined;

  /** Groups stay under the broker's default 1 MB record-batch limit. */
  constructor(o: KafkaOptions, maxGroup = 5000, maxGroupBytes = 512 * 1024) {
    this.producer = new Producer({
      ...baseOptions(o),
      // The library turns 0 or 1 retries of an idempotent producer into "retry forever"; a produce
      // must fail within bounds so the caller can answer 503.
      retries: Math.max(2, o.retries ?? 5),
      idempotent: true,
      acks: ProduceAcks.ALL,
      // The Java client's partitioner (murmur2, positive): a player's events land where any Kafka client puts them.
      partitioner: compatibilityPartitioner,
      serializers: { key: stringSerializer, value: toBuffer, headerKey: stringSerializer, headerValue: stringSerializer },
    });
    this.committer = new GroupCommitter((records) => this.flush(records), maxGroup, (r) => r.value.length + 64, maxGroupBytes);
  }

  /** Authenticates and reads the cluster metadata, so a bad credential fails at start-up. */
  async connect(): Promise<void> {
    await this.producer.metadata({ topics: [] });
    this.connected = true;
  }

  /** Connected, and the last produce attempt (if any in the last 5 s) did not fail. */
  get ready(): boolean {
    return this.connected && (this.lastError === undefined || Date.now() - this.lastError.at > 5000);
  }

  /** Records waiting for the next produce request (backpressure: callers refuse work past a bound). */
  get pending(): number {
    return this.committer.pending;
  }

  send(records: OutRecord[]): Promise<void> {
    return this.committer.add(records);
  }

  private async flush(records: OutRecord[]): Promise<void> {
    try {
      await this.producer.send({
        messages: records.map((r) => ({ topic: r.topic, key: r.key ?? undefined, value: r.value, headers: r.headers })),
      });
      this.lastError = undefined;
    } catch (err) {
      this.lastError = { at: Date.now(), message: (err as Error).message };
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.committer.drain();
    await this.producer.close();
  }
}

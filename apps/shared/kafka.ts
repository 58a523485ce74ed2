// The one module that knows the Kafka client library (kafkajs). Services see only
// DurableProducer, runBatchConsumer, ensureTopics and plain records, so the library
// can be swapped here without touching them.
import {
  AclOperationTypes, AclPermissionTypes, AclResourceTypes, Consumer, IHeaders, Kafka, KafkaConfig, KafkaMessage, logLevel, Partitioners, Producer, ResourcePatternTypes,
} from "kafkajs";
import { readFileSync } from "node:fs";
import type { KafkaSecurity } from "./config";
import { GroupCommitter } from "./group-commit";
import type { Logger } from "./logger";

export interface Topics {
  raw: string;
  processed: string;
  dlq: string;
}

export function topicNames(prefix: string): Topics {
  return { raw: `${prefix}player.events.raw`, processed: `${prefix}player.events.processed`, dlq: `${prefix}system.dlq` };
}

/** Partition counts for a single local broker (the production catalog lives in infra/kafka). */
export const LOCAL_PARTITIONS: Record<keyof Topics, number> = { raw: 2, processed: 2, dlq: 1 };

export interface OutRecord {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface InRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Plaintext when absent (the local broker). */
  security?: KafkaSecurity;
  /** Retries of one request before it fails; keeps "broker down" answers prompt. */
  retries?: number;
}

function toPinoLevel(level: logLevel): "error" | "warn" | "info" | "debug" {
  if (level <= logLevel.ERROR) return "error";
  if (level === logLevel.WARN) return "warn";
  return level === logLevel.INFO ? "info" : "debug";
}

/** kafkajs ssl/sasl options for the platform's contract: TLS (with the cluster CA when given) and SCRAM. */
export function connectionSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, "ssl" | "sasl"> {
  if (security === undefined || security.protocol === "PLAINTEXT") return {};
  return {
    ssl: security.caFile === undefined ? true : { ca: [readFileSync(security.caFile, "utf8")] },
    sasl: { mechanism: "scram-sha-512", username: security.username, password: security.password },
  };
}

function createKafka(o: KafkaOptions): Kafka {
  return new Kafka({
    clientId: o.clientId,
    brokers: o.brokers,
    ...connectionSecurity(o.security),
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: o.retries ?? 5, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      // kafkajs logs every error response at ERROR, retriable ones included (e.g. "coordinator is
      // loading" after a broker start); real failures reach the caller as thrown errors.
      const level = entry.namespace === "Connection" && entry.level === logLevel.ERROR ? "warn" : toPinoLevel(entry.level);
      o.logger[level]({ kafka: entry.namespace, ...extra }, message);
    },
  });
}

function headersOf(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = one.toString();
  }
  return out;
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function createTopics(o: KafkaOptions, specs: { topic: string; partitions: number }[]): Promise<void> {
  const admin = createKafka(o).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = specs.filter((s) => !existing.has(s.topic)).map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: 1 }));
    if (topics.length > 0) await admin.createTopics({ topics, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (bench and tool runs clean up after themselves). */
export async function deleteTopics(o: KafkaOptions, prefix: string): Promise<void> {
  const admin = createKafka(o).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** One ALLOW rule for one principal, in the broker's own terms. */
export interface AclBinding {
  principal: string;
  resource: "topic" | "group";
  name: string;
  pattern: "literal" | "prefix";
  operation: "Read" | "Write" | "Create" | "Describe" | "DescribeConfigs";
}

const ACL_OPERATIONS: Record<AclBinding["operation"], AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Create: AclOperationTypes.CREATE,
  Describe: AclOperationTypes.DESCRIBE,
  DescribeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
};

/** Creates ALLOW ACLs (an existing identical ACL is left as it is); needs a principal allowed to alter the cluster. */
export async function createAcls(o: KafkaOptions, bindings: AclBinding[]): Promise<void> {
  const admin = createKafka(o).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: bindings.map((b) => ({
        principal: b.principal,
        host: "*",
        resourceType: b.resource === "topic" ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: b.name,
        resourcePatternType: b.pattern === "literal" ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
        operation: ACL_OPERATIONS[b.operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** The platform's topics, sized for a single local broker. */
export function ensureTopics(o: KafkaOptions, names: Topics, partitions = LOCAL_PARTITIONS): Promise<void> {
  return createTopics(o, (Object.keys(names) as (keyof Topics)[]).map((k) => ({ topic: names[k], partitions: partitions[k] })));
}

/**
 * acks=all, idempotent producer. `send` resolves only when every record is acknowledged
 * by the in-sync replicas; records from concurrent callers are grouped into one request.
 */
export class DurableProducer {
  private readonly producer: Producer;
  private readonly committer: GroupCommitter<OutRecord>;
  private connected = false;
  private lastError: { at: number; message: string } | undefined;

  /** Groups stay under the broker's default 1 MB record-batch limit. */
  constructor(o: KafkaOptions, maxGroup = 5000, maxGroupBytes = 512 * 1024) {
    this.producer = createKafka(o).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
    this.committer = new GroupCommitter((records) => this.flush(records), maxGroup, (r) => r.value.length + 64, maxGroupBytes);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Connected, and the last produce attempt (if any in the last 5 s) did not fail. */
  get ready(): boolean {
    return this.connected && (this.lastError === undefined || Date.now() - this.lastError.at > 5000);
  }

  send(records: OutRecord[]): Promise<void> {
    return this.committer.add(records);
  }

  private async flush(records: OutRecord[]): Promise<void> {
    const byTopic = new Map<string, { key: string | null; value: string | Buffer; headers?: Record<string, string> }[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value, headers: r.headers });
      byTopic.set(r.topic, list);
    }
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      this.lastError = undefined;
    } catch (err) {
      this.lastError = { at: Date.now(), message: (err as Error).message };
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.committer.drain();
    await this.producer.disconnect();
  }
}

export interface BatchConsumerOptions extends KafkaOptions {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  /**
   * Handles one batch of one partition. Offsets up to the batch's last record are committed
   * only after it resolves; when it throws nothing is committed and the batch comes again.
   */
  handle: (records: InRecord[]) => Promise<void>;
  /** Fetch size per partition, which bounds one batch (and so the memory it holds while it is stored). */
  maxBytesPerPartition?: number;
  /** The consumer gave up for good (kafkajs will not restart it): the process should exit and be restarted. */
  onFatal: (err: Error) => void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

function toInRecord(topic: string, partition: number, m: KafkaMessage): InRecord {
  return { topic, partition, offset: m.offset, timestamp: Number(m.timestamp), key: m.key, value: m.value, headers: headersOf(m.headers) };
}

export async function runBatchConsumer(o: BatchConsumerOptions): Promise<RunningConsumer> {
  const consumer: Consumer = createKafka(o).consumer({
    groupId: o.groupId,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: Math.floor(o.sessionTimeoutMs / 5),
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: o.maxBytesPerPartition,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) o.onFatal(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      if (batch.messages.length === 0 || !isRunning() || isStale()) return;
      await o.handle(batch.messages.map((m) => toInRecord(batch.topic, batch.partition, m)));
      const last = batch.lastOffset();
      resolveOffset(last);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat();
    },
  });
  return { stop: () => consumer.disconnect() };
}

/** Reads a topic from the beginning until `until` is satisfied or the time runs out (tests, tools). */
export async function readTopic(o: KafkaOptions, topic: string, until: (seen: InRecord[]) => boolean, timeoutMs: number): Promise<InRecord[]> {
  const seen: InRecord[] = [];
  const consumer = createKafka(o).consumer({ groupId: `reader-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: t, partition, message }) => {
          seen.push(toInRecord(t, partition, message));
          if (until(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

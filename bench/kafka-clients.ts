// The two Kafka clients side by side, raw (no service code), same settings: acks=all, idempotent,
// 100 records per send with up to 8 sends waiting, SCRAM-SHA-512 over TLS; then a group consumer
// reading them back, committing after each batch. Runs in its own process so CPU is its own.
// Usage: tsx bench/kafka-clients.ts <kafkajs|platformatic> <access.json> <topic> <records> <size>; prints one JSON line.
import { readFileSync } from "node:fs";
import { Consumer as PConsumer, MessagesStreamModes, Producer as PProducer, ProduceAcks, type Message } from "@platformatic/kafka";
import { Kafka, logLevel } from "kafkajs";

const [lib, accessFile, topic, recordsArg, sizeArg] = process.argv.slice(2);
const access = JSON.parse(readFileSync(accessFile, "utf8")) as { bootstrap: string; caFile: string; admin: { username: string; password: string } };
const records = Number(recordsArg);
const value = Buffer.alloc(Number(sizeArg), "x");
const ca = readFileSync(access.caFile, "utf8");
const sasl = { username: access.admin.username, password: access.admin.password };
const PER_SEND = 100;
const IN_FLIGHT = 8;

/** Wall time, records/s and Node CPU µs per record of `fn`. */
async function measure(fn: () => Promise<void>): Promise<{ recordsPerSec: number; cpuUsPerRecord: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { recordsPerSec: records / secs, cpuUsPerRecord: (cpu.user + cpu.system) / records };
}

async function sendAll(send: (batch: { key: Buffer; value: Buffer }[]) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records) {
      const n = Math.min(PER_SEND, records - next);
      const start = next;
      next += n;
      await send(Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`p-${(start + i) % 5000}`), value })));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function kafkajs() {
  const kafka = new Kafka({ clientId: "bench", brokers: [access.bootstrap], ssl: { ca: [ca] }, sasl: { mechanism: "scram-sha-512", ...sasl }, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produce = await measure(() => sendAll((messages) => producer.send({ topic, acks: -1, messages })));
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-kafkajs-${Date.now()}`, maxBytesPerPartition: 256 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const consume = await measure(
    () =>
      new Promise<void>((resolve) => {
        let seen = 0;
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
            if (seen >= records) resolve();
          },
        });
      }),
  );
  await consumer.disconnect();
  return { produce, consume };
}

async function platformatic() {
  const base = { clientId: "bench", bootstrapBrokers: [access.bootstrap], tls: { ca }, sasl: { mechanism: "SCRAM-SHA-512" as const, ...sasl } };
  const producer = new PProducer({ ...base, idempotent: true, acks: ProduceAcks.ALL, retries: 5 });
  const produce = await measure(() => sendAll((messages) => producer.send({ messages: messages.map((m) => ({ topic, ...m })) })));
  await producer.close();
  const consumer = new PConsumer({ ...base, groupId: `bench-platformatic-${Date.now()}`, maxBytesPerPartition: 256 * 1024, autocommit: false });
  const consume = await measure(async () => {
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    let seen = 0;
    await new Promise<void>((resolve) => {
      stream.on("readable", () => {
        const last = new Map<number, Message>(); // commit per partition batch, as the kafkajs side does
        for (let m = stream.read() as Message | null; m !== null; m = stream.read() as Message | null) {
          seen++;
          last.set(m.partition, m);
        }
        if (last.size > 0) void Promise.all([...last.values()].map((m) => m.commit() as Promise<void>)).then(() => seen >= records && resolve());
      });
    });
    await stream.close();
  });
  await consumer.close(true);
  return { produce, consume };
}

(lib === "kafkajs" ? kafkajs() : platformatic()).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + "\n");
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  },
);

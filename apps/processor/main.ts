// Processor entry point: player.events.raw -> PostgreSQL + player.events.processed (+ system.dlq).
import { Counter, Histogram } from "prom-client";
import { createEventValidators } from "../shared/events/validate";
import { DurableProducer, runBatchConsumer, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { createRegistry } from "../shared/metrics";
import { startOpsServer } from "../shared/ops-server";
import { createPool } from "../shared/pg";
import { onShutdown, runService } from "../shared/service";
import { loadProcessorConfig } from "./config";
import { processBatch, ProcessorDeps } from "./handler";
import { GameDirectory, Partitions } from "./store";

async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const logger = createLogger("processor", config.logLevel);
  const topics = topicNames(config.topicPrefix);
  const registry = createRegistry("processor");
  const pool = createPool(config.databaseUrl, 4);
  const kafka = { brokers: config.kafkaBrokers, security: config.kafkaSecurity, clientId: "processor", logger };
  const producer = new DurableProducer(kafka);
  await producer.connect();
  let running = false;

  const deps: ProcessorDeps = {
    pool,
    topics,
    validate: createEventValidators().wire,
    games: new GameDirectory(pool),
    partitions: new Partitions(),
    send: (records) => producer.send(records),
    logger,
    metrics: {
      stored: new Counter({ name: "processor_events_stored_total", help: "Events newly written to player_events", registers: [registry] }),
      duplicates: new Counter({ name: "processor_events_duplicate_total", help: "Redelivered events already stored", registers: [registry] }),
      dlq: new Counter({ name: "processor_events_dlq_total", help: "Poison messages sent to the DLQ", labelNames: ["reason"], registers: [registry] }),
      batchSeconds: new Histogram({ name: "processor_batch_seconds", help: "Time to handle one batch", registers: [registry] }),
    },
  };
  const ops = await startOpsServer(config.opsPort, config.opsHost, registry, () => running && producer.ready);
  const consumer = await runBatchConsumer({
    ...kafka,
    groupId: config.groupId,
    topic: topics.raw,
    sessionTimeoutMs: config.sessionTimeoutMs,
    maxBytesPerPartition: config.fetchBytesPerPartition,
    onFatal: (err) => {
      logger.fatal({ err }, "consumer stopped for good; exiting so the process is restarted");
      process.exit(1);
    },
    handle: async (records) => {
      const r = await processBatch(records, deps);
      logger.debug({ ...r, partition: records[0]?.partition }, "batch committed");
    },
  });
  running = true;
  logger.info({ topic: topics.raw, group: config.groupId, ops: config.opsPort }, "processor consuming");

  onShutdown(logger, "processor", "stopping: finishing the current batch", async () => {
    running = false;
    await consumer.stop();
    await producer.close();
    await pool.end();
    ops.close();
  });
}

runService("processor", main);

// Processor entry point: player.events.raw -> PostgreSQL + player.events.processed (+ system.dlq).
import { createEventValidators } from "../shared/events/validate";
import { DurableProducer, OutRecord, runBatchConsumer, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { startOpsServer } from "../shared/ops-server";
import { createPool } from "../shared/pg";
import { onShutdown, runService } from "../shared/service";
import { loadProcessorConfig } from "./config";
import { processBatch, ProcessorDeps } from "./handler";
import { createProcessorMetrics } from "./metrics";
import { GameDirectory, Partitions } from "./store";

async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const logger = createLogger("processor", config.logLevel);
  const topics = topicNames(config.topicPrefix);
  const metrics = createProcessorMetrics();
  const pool = createPool(config.databaseUrl, 4, (err) => logger.warn({ err: err.message }, "PostgreSQL connection lost; the pool reconnects"));
  const kafka = { brokers: config.kafkaBrokers, security: config.kafkaSecurity, clientId: "processor", logger };
  const producer = new DurableProducer(kafka);
  await producer.connect();
  let running = false;

  /** The processed topic is at-least-once downstream: retried until acknowledged, or the service stops. */
  const republish = async (records: OutRecord[]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await producer.send(records);
      } catch (err) {
        metrics.republishFailures.inc();
        if (!running) throw err;
        logger.warn({ err: (err as Error).message, attempt }, "publishing to the processed topic failed; retrying");
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
      }
    }
  };

  const deps: ProcessorDeps = {
    pool,
    topics,
    validate: createEventValidators().wire,
    games: new GameDirectory(pool),
    partitions: new Partitions(),
    send: (records) => producer.send(records),
    republish,
    logger,
    metrics,
  };
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
    onLag: (lag) => lag.forEach((l) => metrics.lag.set({ partition: String(l.partition) }, l.lag)),
    onHandlerError: (err) => metrics.stalled.set(err === undefined ? 0 : 1),
    handle: async (records) => {
      const r = await processBatch(records, deps);
      logger.debug({ stored: r.stored, duplicates: r.duplicates, dlq: r.dlq, partition: records[0]?.partition }, "batch stored");
      return r;
    },
  });
  // Ready while it can make progress: a batch that keeps failing (database away) or a producer
  // that cannot reach Kafka turns readiness off until it recovers.
  const ops = await startOpsServer(config.ops.port, config.ops.host, metrics.registry, () => running && producer.ready && !consumer.status().failing);
  running = true;
  logger.info({ topic: topics.raw, group: config.groupId, ops: config.ops.port }, "processor consuming");

  onShutdown(logger, "processor", "stopping: finishing the current batch", async () => {
    running = false; // a republish that fails now is left uncommitted for replay instead of retried
    await consumer.stop();
    await producer.close();
    await pool.end();
    ops.close();
  });
}

runService("processor", main);

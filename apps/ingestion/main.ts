// Ingestion service entry point: the one place where connections are opened and closed.
import { DurableProducer, topicNames } from "../shared/kafka";
import { WireEvent } from "../shared/events/catalog";
import { createLogger } from "../shared/logger";
import { SuppressionCache } from "../shared/player-data/suppression";
import { createPool } from "../shared/pg";
import { createRedis } from "../shared/redis";
import { onShutdown, runService } from "../shared/service";
import { buildApp } from "./app";
import { KeyCache, presentedKey } from "./auth";
import { loadIngestionConfig } from "./config";
import { createIngestionMetrics } from "./metrics";

async function main(): Promise<void> {
  const config = loadIngestionConfig();
  const logger = createLogger("ingestion", config.logLevel);
  const topics = topicNames(config.topicPrefix);
  const pool = createPool(config.databaseUrl, 4);
  const redis = createRedis(config.redis);
  const producer = new DurableProducer({ brokers: config.kafkaBrokers, security: config.kafkaSecurity, clientId: "ingestion", logger, retries: 2 });
  await producer.connect();
  const keys = new KeyCache(pool, config.keyCacheTtlMs);
  const suppressions = new SuppressionCache(pool, (err) => logger.warn({ err: err.message }, "suppression list refresh failed; keeping the last one"));
  await suppressions.start(config.suppressionRefreshMs);
  let closing = false;

  const app = buildApp({
    config,
    logger,
    lookupKey: (k) => keys.lookup(k),
    presentedKey,
    redis,
    metrics: createIngestionMetrics(),
    ready: () => !closing && producer.ready,
    suppressed: (gameId, playerId) => suppressions.isSuppressed(gameId, playerId),
    publish: (events: WireEvent[]) =>
      producer.send(events.map((e) => ({ topic: topics.raw, key: e.player_id, value: JSON.stringify(e) }))),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, topic: topics.raw }, "ingestion listening");

  onShutdown(logger, "ingestion", "draining in-flight requests", async () => {
    closing = true;
    await app.close(); // waits for in-flight requests, answers 503 to new ones
    await producer.close();
    suppressions.stop();
    await Promise.allSettled([pool.end(), redis.quit()]);
  });
}

runService("ingestion", main);

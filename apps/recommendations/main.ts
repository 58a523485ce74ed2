// Recommendations service entry point: the one place where connections are opened and closed.
import { loadAuthConfig, createTokenVerifier } from "../shared/auth";
import { DurableProducer, runBatchConsumer, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { createPool } from "../shared/pg";
import { createRedis } from "../shared/redis";
import { onShutdown, runService } from "../shared/service";
import { buildApp } from "./app";
import { RecommendationCache } from "./cache";
import { loadRecommendationsConfig } from "./config";
import { LiveModel } from "./live-model";
import { createRecommendationsMetrics } from "./metrics";
import { recommendationsStore } from "./player-data";
import { publish } from "./publish";
import { computeRecommendations, type Recommendation } from "./recommend";
import { RulesCache } from "./rules";
import { catchUp, handleProcessed, type UpdaterDeps } from "./updater";
import { createVectorStore } from "./vector-store";

async function main(): Promise<void> {
  const config = loadRecommendationsConfig();
  const verifier = createTokenVerifier(loadAuthConfig());
  const logger = createLogger("recommendations", config.logLevel);
  const metrics = createRecommendationsMetrics();
  const pool = createPool(config.databaseUrl, 8);
  const redis = createRedis(config.redis);
  const store = createVectorStore(config);
  const kafka = { brokers: config.kafkaBrokers, security: config.kafkaSecurity, clientId: "recommendations", logger };
  const producer = new DurableProducer(kafka);
  await producer.connect();
  const cache = new RecommendationCache(redis, config.cache);
  // With the embedded store this process is the only one that can fill its index: it publishes each new ready version itself.
  const live = new LiveModel(store, pool, logger, store.kind === "embedded" ? async (version) => {
    const r = await publish(store, pool, version, (previous) => catchUp(updater, version, previous));
    logger.info(r, "model version published into the embedded index");
  } : undefined);
  const updater: UpdaterDeps = { pool, store, live, cache, policy: config.policy, windowDays: config.training.windowDays, logger, metrics };
  await live.refresh();
  live.start(config.modelPollMs);
  const engine = { store, pool, live, rules: new RulesCache(pool, config.rulesTtlMs) };

  const announce = (rec: Recommendation) =>
    void producer
      .send([{ topic: config.generatedTopic, key: rec.player, value: JSON.stringify({ game_id: rec.game, player_id: rec.player, kind: rec.kind, platform: rec.platform, model_version: rec.version, generated_at: rec.generatedAt, items: rec.items }) }])
      .catch((err: unknown) => {
        metrics.publishFailures.inc();
        logger.warn({ err }, "could not publish to recommendations.generated");
      });
  let closing = false;
  const app = buildApp({
    logger,
    verifier,
    metrics,
    defaultLimit: config.defaultLimit,
    maxLimit: config.maxLimit,
    liveVersion: () => live.current()?.version ?? null,
    recommend: (key, version) =>
      cache.get(key, version, async () => {
        metrics.computations.inc({ kind: key.kind });
        const rec = await computeRecommendations(engine, key, config.maxLimit);
        if (rec.items.some((i) => i.source === "popular")) metrics.popularFill.inc({ kind: key.kind });
        announce(rec);
        return rec;
      }),
    stores: [recommendationsStore(cache, store)],
    ready: () => !closing && live.ready && producer.ready,
  });
  const consumer = await runBatchConsumer({
    ...kafka,
    groupId: config.groupId,
    topic: topicNames(config.topicPrefix).processed,
    sessionTimeoutMs: 10_000,
    onFatal: (err) => {
      logger.fatal({ err }, "consumer stopped for good; exiting so the process is restarted");
      process.exit(1);
    },
    handle: async (records) => void (await handleProcessed(records, updater)),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, store: store.kind, live: live.current()?.version ?? null }, "recommendations listening");

  onShutdown(logger, "recommendations", "draining in-flight requests", async () => {
    closing = true;
    live.stop();
    await app.close();
    await consumer.stop();
    await producer.close();
    await Promise.allSettled([pool.end(), redis.quit()]);
  });
}

runService("recommendations", main);

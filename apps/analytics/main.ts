// Analytics entry point: GraphQL over HTTP and WebSocket on the rollups, live counters from
// player.events.processed.
import { createTokenVerifier } from "../shared/auth";
import { serviceTokenSource } from "../shared/auth/service-token";
import { runBatchConsumer, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { createPool } from "../shared/pg";
import { createRedis } from "../shared/redis";
import { onShutdown, runService } from "../shared/service";
import { buildApp } from "./app";
import { createResultCache } from "./cache";
import { loadAnalyticsConfig } from "./config";
import { LiveHub } from "./live";
import { createAnalyticsMetrics } from "./metrics";
import { createReader } from "./reader";
import { httpRecommender, type Recommender, unconfiguredRecommender } from "./recommendations";

async function main(): Promise<void> {
  const config = loadAnalyticsConfig();
  const logger = createLogger("analytics", config.logLevel);
  const metrics = createAnalyticsMetrics();
  const pool = createPool(config.readDatabaseUrl, 8);
  const db = createReader(pool, config.limits.statementTimeoutMs);
  const redis = createRedis(config.redis);
  const onError = (err: unknown) => logger.warn({ err }, "analytics background step failed");
  const cache = createResultCache(redis, {
    prefix: config.cache.prefix,
    ttlSec: config.cache.ttlSec,
    replicaLagMs: config.cache.replicaLagMs,
    metrics: { hits: metrics.cacheHits, misses: metrics.cacheMisses, invalidations: metrics.cacheInvalidations },
    onError,
  });
  const live = new LiveHub({
    config: config.live,
    revenueOf: async (gameId, day) =>
      db.rows<{ currency: string; amountMinor: number }>(
        `SELECT currency, sum(gross_minor)::float8 AS "amountMinor" FROM rollup_game_day_revenue WHERE game_id = $1 AND day = $2::date GROUP BY 1 ORDER BY 1`,
        [gameId, day],
      ),
    onLateEvent: (gameId) => cache.invalidate(gameId),
    metrics: { dropped: metrics.dropped, subscribers: metrics.subscribers, liveEvents: metrics.liveEvents },
    onError,
  });
  const r = config.recommendations;
  const recommend: Recommender =
    r === null
      ? unconfiguredRecommender
      : httpRecommender({
          url: r.url,
          timeoutMs: r.timeoutMs,
          token: serviceTokenSource(r.client),
          observe: (outcome, err) => {
            metrics.recommendations.inc({ outcome });
            if (outcome !== "ok" && outcome !== "no_model") logger.warn({ err, outcome }, "recommendations call failed");
          },
        });
  let running = false;
  const app = buildApp({ logger, verifier: createTokenVerifier(config.auth), db, cache, live, recommend, limits: config.limits, metrics, ready: () => running });
  const topics = topicNames(config.topicPrefix);
  const groupId = `${config.live.groupPrefix}.${config.live.podName}`;
  const consumer = await runBatchConsumer({
    brokers: config.kafkaBrokers,
    security: config.kafkaSecurity,
    clientId: "analytics",
    logger,
    groupId,
    topic: topics.processed,
    sessionTimeoutMs: 10_000,
    // Live counters are about now: a new pod starts at the newest record.
    fromBeginning: false,
    onFatal: (err) => {
      logger.fatal({ err }, "live consumer stopped for good; exiting so the process is restarted");
      process.exit(1);
    },
    handle: async (records) => live.ingest(records),
  });
  live.start();
  await app.listen({ port: config.port, host: config.host });
  running = true;
  logger.info({ port: config.port, group: groupId, reads: new URL(config.readDatabaseUrl).host }, "analytics serving");

  onShutdown(logger, "analytics", "stopping: closing connections", async () => {
    running = false;
    live.stop();
    await app.close();
    await consumer.stop();
    cache.close();
    await pool.end();
    redis.disconnect();
  });
}

runService("analytics", main);

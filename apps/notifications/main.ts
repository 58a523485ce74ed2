// Notifications entry point: the API, the consumer of `notifications` + player.events.processed, and
// the dispatcher over the due-time table. The one place where connections are opened and closed.
import addFormats from "ajv-formats";
import { createTokenVerifier } from "../shared/auth";
import { createAjv } from "../shared/events/validate";
import { DurableProducer, runBatchConsumer, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { createPool } from "../shared/pg";
import { createRedis, type RedisClient } from "../shared/redis";
import { onShutdown, runService } from "../shared/service";
import type { TakeInDeps } from "./accept";
import { buildApp } from "./app";
import { RuleCache, TemplateCache } from "./catalog";
import { loadNotificationsConfig } from "./config";
import { postgresConsent } from "./consent";
import { Dispatcher } from "./dispatcher";
import { buildDrivers } from "./drivers";
import { handleBatch } from "./handler";
import { createNotificationsMetrics } from "./metrics";
import { queueDepth } from "./queue";
import { requestSchema } from "./schemas";

async function main(): Promise<void> {
  const config = loadNotificationsConfig();
  const logger = createLogger("notifications", config.logLevel);
  const topics = { intake: `${config.topicPrefix}notifications`, processed: topicNames(config.topicPrefix).processed, dlq: topicNames(config.topicPrefix).dlq };
  const metrics = createNotificationsMetrics();
  const pool = createPool(config.databaseUrl, Math.min(20, 4 + Math.ceil(config.dispatch.concurrency / 4)));
  pool.on("error", (err) => logger.error({ err }, "idle PostgreSQL connection failed"));
  const redis: RedisClient | undefined = config.inAppTicketSecret === undefined ? undefined : createRedis(config.redis);
  const kafka = { brokers: config.kafkaBrokers, security: config.kafkaSecurity, clientId: "notifications", logger };
  const producer = new DurableProducer(kafka);
  await producer.connect();
  const ajv = createAjv();
  addFormats(ajv, ["email"]);
  const templates = new TemplateCache(pool, config.cacheTtlMs);
  const rules = new RuleCache(pool, config.cacheTtlMs);
  const consent = postgresConsent(pool);
  const drivers = await buildDrivers(config, { pool, redis, metrics, logger, topicPrefix: config.topicPrefix });
  const dispatcher = new Dispatcher({
    pool,
    templates,
    consent,
    drivers: drivers.byChannel,
    send: (records) => producer.send(records),
    dlqTopic: topics.dlq,
    concurrency: config.dispatch.concurrency,
    pollMs: config.dispatch.pollMs,
    leaseMs: config.dispatch.leaseMs,
    retry: config.retry,
    breakerWaitMs: config.breaker.resetMs,
    metrics,
    logger,
  });
  const validateRequest = ajv.compile(requestSchema);
  const intake: TakeInDeps = { pool, ajv, templates, consent, channels: drivers.channels, metrics, wake: () => dispatcher.wake() };
  let consuming = false;
  let closing = false;
  const app = buildApp({
    logger,
    pool,
    ajv,
    verifier: createTokenVerifier(config.auth),
    intake,
    templates,
    rules,
    metrics,
    channels: drivers.channels,
    pushKinds: drivers.pushKinds,
    vapidPublicKey: config.webPush?.publicKey,
    inApp: drivers.inApp,
    ready: () => !closing && consuming && producer.ready,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  const consumer = await runBatchConsumer({
    ...kafka,
    groupId: config.groupId,
    topic: [topics.intake, topics.processed],
    sessionTimeoutMs: config.sessionTimeoutMs,
    onFatal: (err) => {
      logger.fatal({ err }, "consumer stopped for good; exiting so the process is restarted");
      process.exit(1);
    },
    handle: async (records) => void (await handleBatch(records, { ...intake, topics, validateRequest, rules, send: (r) => producer.send(r), logger })),
  });
  consuming = true;
  dispatcher.start();
  const gauge = setInterval(() => {
    queueDepth(pool).then(
      (q) => {
        metrics.queue.set({ state: "due" }, q.due);
        metrics.queue.set({ state: "waiting" }, q.waiting);
      },
      (err: Error) => logger.warn({ err }, "queue depth not read"),
    );
  }, 10_000);
  gauge.unref();
  logger.info({ address, topics, group: config.groupId, channels: drivers.channels, dispatchers: config.dispatch.concurrency }, "notifications serving");

  onShutdown(logger, "notifications", "draining: finishing the sends in flight", async () => {
    closing = true;
    clearInterval(gauge);
    await app.close();
    await consumer.stop();
    await dispatcher.stop();
    await drivers.close();
    await producer.close();
    await Promise.allSettled([pool.end(), redis?.quit()]);
  });
}

runService("notifications", main);

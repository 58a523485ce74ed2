// Users service entry point: the OIDC provider, the users API and the GDPR worker.
import { anchorChainHead, anchorS3Client } from "../shared/audit-anchor";
import { createTokenVerifier } from "../shared/auth";
import { serviceTokenSource } from "../shared/auth/service-token";
import { topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { playerDataStores } from "../shared/player-data";
import { createPool } from "../shared/pg";
import { createRedis } from "../shared/redis";
import { onShutdown, runService } from "../shared/service";
import { buildApp } from "./app";
import { findClient } from "./clients";
import { loadUsersConfig } from "./config";
import { GdprRunner } from "./gdpr/runner";
import { createUsersMetrics } from "./metrics";
import { ensurePublicClient, ensureServiceClients, RUNNER_CLIENT_ID } from "./platform-clients";
import { deleteExpired } from "./oidc/adapter";
import { dlqBrowser } from "./ops/dlq";
import { prometheusSource, scrapeSource } from "./ops/error-ratio";
import { statusReader } from "./ops/status";
import { buildProvider, OIDC_PATH } from "./oidc/provider";
import { deriveSecrets } from "./secrets";
import { loginThrottle } from "./throttle";

async function main(): Promise<void> {
  const config = loadUsersConfig();
  const logger = createLogger("users", config.logLevel);
  const pool = createPool(config.databaseUrl, 8);
  const redis = createRedis(config.redis);
  const metrics = createUsersMetrics();
  const secrets = deriveSecrets(config.secretKey);
  await ensureServiceClients(pool);
  if (config.dashboardClient !== undefined) {
    const outcome = await ensurePublicClient(pool, secrets, config.dashboardClient);
    logger.info({ client: config.dashboardClient.clientId, redirectUris: config.dashboardClient.redirectUris, outcome }, "dashboard client registered");
  }
  const provider = buildProvider({ ...config, pool, secrets, keys: config.signingKeys });
  const local = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${config.port}`;
  // Its own tokens are verified like any API does, against its JWKS over loopback.
  const verifier = createTokenVerifier({ issuer: config.issuer, audience: config.audience, jwksUrl: `${local}${OIDC_PATH}/jwks` });
  const stores = playerDataStores({
    pool,
    serviceUrls: config.playerDataUrls,
    serviceToken: serviceTokenSource({
      tokenUrl: `${local}${OIDC_PATH}/token`,
      clientId: RUNNER_CLIENT_ID,
      clientSecret: async () => {
        const c = await findClient(pool, RUNNER_CLIENT_ID);
        return secrets.clientSecret(RUNNER_CLIENT_ID, c?.secretVersion ?? 1);
      },
    }),
  });
  const runner = new GdprRunner(pool, stores, config.gdpr, metrics, logger);
  // Kafka is reached only when an operator asks: the issuer and the GDPR job never wait for it.
  const kafka = { brokers: config.kafkaBrokers, clientId: "users", logger, security: config.kafkaSecurity, retries: 2 };
  const dlq = dlqBrowser(kafka, topicNames(config.topicPrefix), config.ops.readerGroupPrefix);
  const source = config.ops.errorRatio;
  const errorRatio = source.kind === "prometheus" ? prometheusSource(source.url) : source.kind === "scrape" ? scrapeSource(source.urls, source.intervalMs, logger) : undefined;
  let closing = false;

  const app = buildApp({
    logger,
    provider,
    pool,
    secrets,
    verifier,
    stores,
    gdpr: config.gdpr,
    metrics,
    ops: { dlq, status: statusReader(kafka, config.ops.consumerGroups, errorRatio) },
    throttle: loginThrottle(redis, config.login),
    ready: () => !closing,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  runner.start();
  const cleanup = setInterval(() => {
    deleteExpired(pool).catch((err: Error) => logger.warn({ err: err.message }, "expired OIDC artifacts cleanup failed"));
  }, 60_000);
  cleanup.unref();
  const anchor = config.anchor;
  const anchoring =
    anchor === undefined
      ? undefined
      : setInterval(() => {
          const target = { s3: anchorS3Client(), bucket: anchor.bucket, prefix: anchor.prefix, retentionDays: anchor.retentionDays };
          anchorChainHead(pool, target).then(
            (r) => {
              metrics.auditAnchors.inc({ outcome: r.problem !== undefined ? "refused" : r.anchored !== undefined ? "written" : "unchanged" });
              if (r.problem !== undefined) logger.error({ problem: r.problem }, "audit chain NOT anchored: it fails verification");
            },
            (err: Error) => {
              metrics.auditAnchors.inc({ outcome: "failed" });
              logger.warn({ err: err.message }, "audit chain head could not be written to the archives bucket");
            },
          );
        }, anchor.intervalMs);
  anchoring?.unref();
  logger.info({ address, issuer: config.issuer, stores: stores.map((s) => s.store.name), signingKey: config.signingKeys.currentKid }, "users listening");

  onShutdown(logger, "users", "draining in-flight requests and the GDPR step under way", async () => {
    closing = true;
    clearInterval(cleanup);
    if (anchoring !== undefined) clearInterval(anchoring);
    await app.close();
    errorRatio?.stop();
    await runner.stop();
    await dlq.close();
    await Promise.allSettled([pool.end(), redis.quit()]);
  });
}

runService("users", main);

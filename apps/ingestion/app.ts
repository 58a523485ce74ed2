import rateLimit from "@fastify/rate-limit";
import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyRequest, LogController } from "fastify";
import type { Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import type { RedisClient } from "../shared/redis";
import type { ApiKeyRecord } from "../shared/apikeys";
import { batchSchema, eventSchema, GameEvent, WireEvent } from "../shared/events/catalog";
import { createAjv, createEventValidators } from "../shared/events/validate";
import type { Logger } from "../shared/logger";
import { triage } from "./accept";
import type { IngestionConfig } from "./config";
import { ApiError, errorReply } from "./errors";
import type { IngestionMetrics } from "./metrics";

declare module "fastify" {
  interface FastifyRequest {
    apiKey: ApiKeyRecord | null;
  }
}

/** Everything with side effects that the HTTP layer talks to. */
export interface IngestionDeps {
  config: IngestionConfig;
  logger: Logger;
  lookupKey: (presented: string) => Promise<ApiKeyRecord | undefined>;
  presentedKey: (headers: FastifyRequest["headers"]) => string | undefined;
  redis: RedisClient;
  /** Resolves only when every event is acknowledged with acks=all. */
  publish: (events: WireEvent[]) => Promise<void>;
  ready: () => boolean;
  metrics: IngestionMetrics;
  /** GDPR: the player was erased or withdrew analytics consent; their events are acknowledged and dropped. */
  suppressed: (gameId: string, playerId: string) => boolean;
}

export function buildApp(deps: IngestionDeps): FastifyInstance {
  const { config, metrics } = deps;
  const ajv = createAjv();
  const validators = createEventValidators(ajv);
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // per-request lines would dominate the logs at thousands of requests/s; metrics count them instead
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.batchBodyLimitBytes,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  app.removeContentTypeParser("text/plain"); // JSON only: anything else is 415
  app.decorateRequest("apiKey", null);

  app.setErrorHandler((err, req, reply) => {
    const r = errorReply(err as Error);
    if (r.status >= 500) req.log.error({ err }, "request failed");
    void reply.code(r.status).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url}` }));
  app.addHook("onResponse", async (req, reply) => {
    metrics.requests.inc({ route: req.routeOptions.url ?? "unknown", method: req.method, status: String(reply.statusCode) });
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const ready = deps.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get("/metrics", async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));

  void app.register(async (v1) => {
    // Auth runs first (instance hook); the rate limit is a route hook and so runs after it, per key.
    v1.addHook("onRequest", async (req) => {
      const presented = deps.presentedKey(req.headers);
      if (presented === undefined) throw new ApiError(401, "missing_api_key", "send the game's API key in the x-api-key header");
      const key = await deps.lookupKey(presented);
      if (key === undefined) throw new ApiError(401, "invalid_api_key", "the API key is unknown or revoked");
      req.apiKey = key;
    });
    v1.addHook("preParsing", async (req, _reply, payload) => {
      const enc = (req.headers["content-encoding"] ?? "identity").toLowerCase();
      if (enc === "identity") return payload;
      if (enc !== "gzip") throw new ApiError(415, "unsupported_encoding", `content-encoding "${enc}" is not supported; use gzip or none`);
      // The body limit then applies to the decompressed bytes, which stops gzip bombs;
      // fastify checks Content-Length against receivedEncodedLength.
      const gunzip: Transform & { receivedEncodedLength?: number } = createGunzip();
      gunzip.receivedEncodedLength = 0;
      payload.on("data", (chunk: Buffer) => (gunzip.receivedEncodedLength = (gunzip.receivedEncodedLength ?? 0) + chunk.length));
      return payload.pipe(gunzip);
    });
    await v1.register(rateLimit, {
      redis: deps.redis,
      nameSpace: "gm-rl:",
      timeWindow: 1000,
      skipOnError: true, // a Redis outage must not stop event intake
      keyGenerator: (req) => req.apiKey?.keyId ?? req.ip,
      max: (req) => req.apiKey?.rateLimitPerSec ?? config.defaultRateLimitPerSec,
      errorResponseBuilder: (_req, ctx) => new ApiError(429, "rate_limited", `over ${ctx.max} requests per second for this API key; retry in ${ctx.after}`),
    });

    const accept = async (req: FastifyRequest, items: readonly unknown[]) => {
      const key = req.apiKey as ApiKeyRecord;
      const { good, rejected } = triage(items, validators.event, key.gameId, Date.now());
      for (const r of rejected) metrics.rejected.inc({ reason: r.reason });
      const kept = good.filter((e) => !deps.suppressed(e.game_id, e.player_id));
      if (kept.length < good.length) metrics.suppressed.inc(good.length - kept.length);
      if (kept.length === 0) return { good, rejected };
      const timer = metrics.produceLatency.startTimer();
      try {
        await deps.publish(kept);
      } catch (err) {
        metrics.rejected.inc({ reason: "unavailable" }, kept.length);
        req.log.warn({ err: (err as Error).message, events: kept.length }, "kafka unavailable, answering 503");
        throw new ApiError(503, "unavailable", "the event stream is unavailable; nothing was accepted, retry later", undefined, {
          "retry-after": String(config.retryAfterSec),
        });
      } finally {
        timer();
      }
      for (const e of kept) metrics.accepted.inc({ type: e.type });
      return { good, rejected };
    };

    v1.post<{ Body: GameEvent }>("/v1/events", { schema: { body: eventSchema(false) }, bodyLimit: config.singleBodyLimitBytes }, async (req, reply) => {
      const { good, rejected } = await accept(req, [req.body]);
      const r = rejected[0];
      if (r !== undefined) throw new ApiError(403, "forbidden_game", r.errors[0]?.message ?? "forbidden", r.errors);
      return reply.code(202).send({ accepted: 1, event_ids: good.map((e) => e.event_id) });
    });

    v1.post<{ Body: { events: unknown[] } }>("/v1/events/batch", { schema: { body: batchSchema } }, async (req, reply) => {
      const { good, rejected } = await accept(req, req.body.events);
      const body = { accepted: good.length, event_ids: good.map((e) => e.event_id), rejected };
      if (good.length === 0) throw new ApiError(422, "invalid_events", "no event in the batch was valid", rejected);
      return reply.code(202).send(body);
    });
  });
  return app;
}

import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKeyRecord } from "../shared/apikeys";
import { batchSchema, eventSchema, GameEvent, WireEvent } from "../shared/events/catalog";
import { createAjv, createEventValidators } from "../shared/events/validate";
import { createHttpApp } from "../shared/http-app";
import type { Logger } from "../shared/logger";
import { triage } from "./accept";
import { KeyStoreUnavailable, SourceLimiter } from "./auth";
import { gunzipWithin } from "./gzip";
import { EventRateLimiter, RateDecision } from "./rate-limit";
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
  rateLimiter: Pick<EventRateLimiter, "take">;
  /** Attempts without a valid key, per source address. */
  failedAuth: Pick<SourceLimiter, "take" | "refund">;
  /** Events handed to the producer and not yet sent: past `maxPendingEvents` requests get 503. */
  backlog: () => number;
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
  const app = createHttpApp({
    logger: deps.logger,
    ready: deps.ready,
    registry: metrics.registry,
    requests: metrics.requests,
    errorReply,
    notFound: true,
    fastify: { bodyLimit: config.batchBodyLimitBytes },
  });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  app.removeContentTypeParser("text/plain"); // JSON only: anything else is 415
  app.decorateRequest("apiKey", null);

  // CORS preflight for browser (WebGL) games: answered without a key (browsers send none with it);
  // the actual request is checked against the key's origins.
  app.options("/v1/*", async (req, reply) => {
    const origin = req.headers.origin;
    if (origin !== undefined) void reply.header("access-control-allow-origin", origin).header("vary", "origin");
    return reply
      .code(204)
      .header("access-control-allow-methods", "POST")
      .header("access-control-allow-headers", "content-type, content-encoding, x-api-key, authorization")
      .header("access-control-max-age", String(config.corsMaxAgeSec))
      .send();
  });

  void app.register(async (v1) => {
    v1.addHook("onRequest", async (req, reply) => {
      // Every attempt takes a token of its source's budget before the key is looked up (a query
      // for an unknown id) and gives it back once the key proves valid: only invalid attempts
      // spend it, concurrent ones included.
      const source = req.ip;
      if (!deps.failedAuth.take(source)) {
        metrics.rejected.inc({ reason: "auth_flood" });
        throw new ApiError(429, "too_many_failed_attempts", "too many requests without a valid API key from this address; retry later", undefined, { "retry-after": "1" });
      }
      const presented = deps.presentedKey(req.headers);
      if (presented === undefined) throw new ApiError(401, "missing_api_key", "send the game's API key in the x-api-key header");
      let key: ApiKeyRecord | undefined;
      try {
        key = await deps.lookupKey(presented);
      } catch (err) {
        if (!(err instanceof KeyStoreUnavailable)) throw err;
        deps.failedAuth.refund(source);
        metrics.rejected.inc({ reason: "auth_unavailable" });
        req.log.warn({ err: err.message }, "API keys cannot be checked, answering 503");
        throw new ApiError(503, "auth_unavailable", "API keys cannot be checked right now; nothing was accepted, retry later", undefined, { "retry-after": String(config.retryAfterSec) });
      }
      if (key === undefined) throw new ApiError(401, "invalid_api_key", "the API key is unknown or revoked");
      deps.failedAuth.refund(source);
      const origin = req.headers.origin;
      if (origin !== undefined) {
        const allowed = key.corsOrigins ?? [];
        if (!allowed.includes("*") && !allowed.includes(origin)) throw new ApiError(403, "forbidden_origin", `origin "${origin}" is not allowed for this game's key`);
        void reply.header("access-control-allow-origin", origin).header("vary", "origin");
      }
      req.apiKey = key;
    });
    v1.addHook("preParsing", async (req, _reply, payload) => {
      const enc = (req.headers["content-encoding"] ?? "identity").toLowerCase();
      if (enc === "identity") return payload;
      if (enc !== "gzip") throw new ApiError(415, "unsupported_encoding", `content-encoding "${enc}" is not supported; use gzip or none`);
      return gunzipWithin(payload, req.routeOptions.bodyLimit ?? config.batchBodyLimitBytes);
    });
    // Events, not requests, are counted: a batch of 1,000 takes 1,000 tokens of the key's bucket.
    v1.addHook("preHandler", async (req) => {
      const key = req.apiKey as ApiKeyRecord;
      const body = req.body as { events?: unknown[] } | undefined;
      const events = Array.isArray(body?.events) ? body.events.length : 1;
      const perSec = key.rateLimitPerSec ?? config.defaultRateLimitPerSec;
      const burst = key.rateLimitBurst ?? perSec * config.defaultBurstSeconds;
      let decision: RateDecision;
      try {
        decision = await deps.rateLimiter.take(key.keyId, events, perSec, burst);
        metrics.redisUp.set(1);
      } catch (err) {
        // A Redis outage must not stop event intake: the limit is skipped, and the metrics say so.
        metrics.redisUp.set(0);
        metrics.redisErrors.inc();
        req.log.warn({ err: (err as Error).message }, "rate limit skipped: Redis unavailable");
        return;
      }
      if (!decision.allowed) {
        metrics.rejected.inc({ reason: "rate_limited" }, events);
        throw new ApiError(429, "rate_limited", `over ${perSec} events per second (burst ${burst}) for this API key; retry in ${decision.retryAfterSec} s`, undefined, {
          "retry-after": String(decision.retryAfterSec),
        });
      }
    });

    const accept = async (req: FastifyRequest, items: readonly unknown[]) => {
      const key = req.apiKey as ApiKeyRecord;
      if (deps.backlog() > config.maxPendingEvents) {
        metrics.rejected.inc({ reason: "overloaded" }, items.length);
        throw new ApiError(503, "overloaded", "too many events are waiting for Kafka; nothing was accepted, retry later", undefined, { "retry-after": "1" });
      }
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
      if (r?.reason === "forbidden_game") throw new ApiError(403, "forbidden_game", r.errors[0]?.message ?? "forbidden", r.errors);
      if (r !== undefined) throw new ApiError(422, "unstorable_event", "a value of the event cannot be stored as sent", r.errors);
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

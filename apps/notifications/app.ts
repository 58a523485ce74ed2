// The HTTP side: fastify with bearer-token auth on every /v1 route (apps/shared/auth), precise 4xx
// answers with field paths, health and metrics, and the WebSocket for in-app notifications.
import websocket from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import { AuthError } from "../shared/auth";
import { createHttpApp } from "../shared/http-app";
import { ApiError, type AppDeps } from "./http";
import { fieldErrors } from "./intake";
import { registerNotificationRoutes } from "./routes-notifications";
import { registerSetupRoutes } from "./routes-setup";

const BODY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "unsupported_media_type"],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "payload_too_large"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "empty_body"],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "malformed_json"],
};

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = createHttpApp({
    logger: deps.logger,
    ready: deps.ready,
    registry: deps.metrics.registry,
    requests: deps.metrics.requests,
    fastify: { bodyLimit: 1024 * 1024 },
  });
  app.setValidatorCompiler(({ schema }) => deps.ajv.compile(schema));
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number; validation?: Parameters<typeof fieldErrors>[0]; validationContext?: string }, req, reply) => {
    if (err instanceof AuthError) return reply.code(err.status).send({ error: err.code, message: err.message });
    if (err instanceof ApiError) return reply.code(err.status).send({ error: err.code, message: err.message, details: err.details });
    if (err.validation !== undefined) {
      const at = err.validationContext === "body" || err.validationContext === undefined ? "" : `/${err.validationContext}`;
      return reply.code(422).send({ error: "invalid_request", message: `the ${err.validationContext ?? "body"} does not match the schema`, details: fieldErrors(err.validation, at) });
    }
    const known = err.code === undefined ? undefined : BODY_ERRORS[err.code];
    if (known !== undefined) return reply.code(known[0]).send({ error: known[1], message: err.message });
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: "bad_request", message: err.message });
    req.log.error({ err }, "request failed");
    return reply.code(500).send({ error: "internal", message: "internal error" });
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` }));

  void app.register(websocket, { options: { maxPayload: 4096 } });
  void app.register(async (scope) => {
    registerNotificationRoutes(scope, deps);
    registerSetupRoutes(scope, deps);
  });
  return app;
}

// The fastify app every HTTP service starts from: the platform's server options, /healthz, /readyz and
// /metrics, and, where the service asks for them, its request counter, error replies and JSON 404.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import type { Counter, Registry } from "prom-client";
import type { Logger } from "./logger";
import type { HttpRequestLabel } from "./metrics";

/** What a service's pure error mapping returns for any error raised while serving a request. */
export interface ErrorReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface HttpAppOptions {
  readonly logger: Logger;
  /** What /readyz answers: false before the service can serve and once it drains. */
  readonly ready: () => boolean;
  /** Served at /metrics. */
  readonly registry: Registry;
  /** Counts every answer by route, method and status (MetricsFactory.httpRequests). */
  readonly requests?: Counter<HttpRequestLabel>;
  /** Maps an error to its reply; a 5xx is logged with the error. */
  readonly errorReply?: (err: Error) => ErrorReply;
  /** Unknown routes answer 404 `{ error: "not_found", message: "no route <method> <url>" }`. */
  readonly notFound?: boolean;
  readonly fastify?: Pick<FastifyServerOptions, "bodyLimit" | "trustProxy" | "ajv">;
}

export function createHttpApp(o: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger,
    // per-request lines would dominate the logs at thousands of requests/s; metrics count them instead
    logController: new LogController({ disableRequestLogging: true }),
    // While closing, new requests get 503 at once (the load balancer moves on) instead of hanging.
    return503OnClosing: true,
    ...o.fastify,
  });
  const { errorReply, requests } = o;
  if (errorReply !== undefined) {
    app.setErrorHandler((err, req, reply) => {
      const r = errorReply(err as Error);
      if (r.status >= 500) req.log.error({ err }, "request failed");
      void reply.code(r.status).headers(r.headers ?? {}).send(r.body);
    });
  }
  if (o.notFound === true) {
    app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url}` }));
  }
  if (requests !== undefined) {
    app.addHook("onResponse", async (req, reply) => {
      requests.inc({ route: req.routeOptions.url ?? "unknown", method: req.method, status: String(reply.statusCode) });
    });
  }

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const ready = o.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get("/metrics", async (_req, reply) => reply.type(o.registry.contentType).send(await o.registry.metrics()));
  return app;
}

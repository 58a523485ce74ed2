// The users service's HTTP app: oidc-provider mounted under /oauth (one port, one process, fastify's
// health, metrics and error handling around it, the Koa app untouched inside), its interactions,
// the users API (operators' views of the event path among it) and the internal ops routes.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type Provider from "oidc-provider";
import type { Logger } from "../shared/logger";
import { apiErrorReply } from "./errors";
import { type InteractionDeps, interactionRoutes } from "./oidc/interactions";
import { INTERACTION_PATH, OIDC_PATH } from "./oidc/provider";
import { adminRoutes } from "./routes/admin";
import { apiKeyRoutes } from "./routes/apikeys";
import { auditRoutes } from "./routes/audit";
import { opsRoutes } from "./routes/ops";
import type { RouteDeps } from "./routes/context";
import { playerRoutes } from "./routes/players";

export interface UsersAppDeps extends RouteDeps, Omit<InteractionDeps, "metrics" | "pool" | "secrets"> {
  readonly logger: Logger;
  readonly provider: Provider;
  readonly ready: () => boolean;
}

/** RFC 8414 puts the metadata of issuer https://host/oauth at /.well-known/oauth-authorization-server/oauth. */
const RFC8414_METADATA = `/.well-known/oauth-authorization-server${OIDC_PATH}`;

export function buildApp(d: UsersAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: d.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Behind the ALB: req.ip is the client's address (login throttling per source).
    trustProxy: true,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });
  const oidc = d.provider.callback();

  // The provider's own routes go to it untouched (it reads the raw body itself); the path it sees is
  // relative to its mount point, as with express's app.use("/oauth", ...).
  app.addHook("onRequest", async (req, reply) => {
    const url = req.raw.url ?? "/";
    const own = url === OIDC_PATH || url.startsWith(`${OIDC_PATH}/`) || url.startsWith(`${OIDC_PATH}?`);
    const metadata = url === RFC8414_METADATA;
    if ((!own && !metadata) || url.startsWith(`${INTERACTION_PATH}/`)) return;
    reply.hijack();
    const raw = req.raw as typeof req.raw & { originalUrl?: string };
    raw.originalUrl = metadata ? `${OIDC_PATH}/.well-known/oauth-authorization-server` : url;
    raw.url = metadata ? "/.well-known/oauth-authorization-server" : url.slice(OIDC_PATH.length) || "/";
    reply.raw.once("finish", () => d.metrics.requests.inc({ route: `${OIDC_PATH}/*`, method: req.method, status: String(reply.raw.statusCode) }));
    oidc(raw, reply.raw);
  });

  app.setErrorHandler((err, req, reply) => {
    const r = apiErrorReply(err as Error);
    if (r.status >= 500) req.log.error({ err }, "request failed");
    void reply.code(r.status).send(r.body);
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url}` }));
  app.addHook("onResponse", async (req, reply) => {
    d.metrics.requests.inc({ route: req.routeOptions.url ?? "unknown", method: req.method, status: String(reply.statusCode) });
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const ready = d.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get("/metrics", async (_req, reply) => reply.type(d.metrics.registry.contentType).send(await d.metrics.registry.metrics()));

  interactionRoutes(app, { provider: d.provider, pool: d.pool, secrets: d.secrets, throttle: d.throttle, metrics: d.metrics });
  adminRoutes(app, d);
  auditRoutes(app, d);
  apiKeyRoutes(app, d);
  playerRoutes(app, d);
  opsRoutes(app, d);
  return app;
}

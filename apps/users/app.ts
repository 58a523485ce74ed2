// The users service's HTTP app: oidc-provider mounted under /oauth (one port, one process, fastify's
// health, metrics and error handling around it, the Koa app untouched inside), its interactions,
// the users API (operators' views of the event path among it) and the internal ops routes.
import type { FastifyInstance } from "fastify";
import type Provider from "oidc-provider";
import { createHttpApp } from "../shared/http-app";
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
  const app = createHttpApp({
    logger: d.logger,
    ready: d.ready,
    registry: d.metrics.registry,
    requests: d.metrics.requests,
    errorReply: apiErrorReply,
    notFound: true,
    // Behind the ALB: req.ip is the client's address (login throttling per source).
    fastify: { trustProxy: true, bodyLimit: 64 * 1024 },
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

  interactionRoutes(app, { provider: d.provider, pool: d.pool, secrets: d.secrets, throttle: d.throttle, metrics: d.metrics });
  adminRoutes(app, d);
  auditRoutes(app, d);
  apiKeyRoutes(app, d);
  playerRoutes(app, d);
  opsRoutes(app, d);
  return app;
}

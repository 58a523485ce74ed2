// The dashboard's server: the built single-page app as static files under /dashboard, its runtime
// config, /dashboard/graphql forwarded (HTTP and WebSocket) to the analytics API, and /dashboard/audit,
// /dashboard/api-keys, /dashboard/gdpr and /dashboard/ops to the users service's operator APIs: the browser talks to one origin for
// data and both services stay inside the cluster. Tokens pass through untouched; the services verify them.
import { existsSync } from "node:fs";
import { join } from "node:path";
import httpProxy from "@fastify/http-proxy";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Registry } from "prom-client";
import type { Logger } from "../shared/logger";
import { BASE_PATH, type DashboardConfig } from "./config";
import { securityHeaders } from "./headers";

export interface DashboardDeps {
  readonly config: Pick<DashboardConfig, "issuer" | "clientId" | "analyticsUrl" | "usersUrl" | "staticDir">;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly ready: () => boolean;
}

export function buildApp(deps: DashboardDeps): FastifyInstance {
  const { config } = deps;
  const index = join(config.staticDir, "index.html");
  if (!existsSync(index)) throw new Error(`no built dashboard at ${config.staticDir} (index.html missing): run npm run build:dashboard, or set DASHBOARD_STATIC_DIR`);
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), return503OnClosing: true });
  const headers = securityHeaders(config.issuer);

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => reply.code(deps.ready() ? 200 : 503).send({ ready: deps.ready() }));
  app.get("/metrics", async (_req, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()));

  app.addHook("onSend", async (req, reply) => {
    if (["graphql", "audit", "api-keys", "gdpr", "ops"].some((p) => req.url.startsWith(`${BASE_PATH}/${p}`))) return;
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  });

  // What the app needs to sign in, read at start-up: one build serves every stack.
  app.get(`${BASE_PATH}/config.json`, async (_req, reply) => reply.header("cache-control", "no-store").send({ issuer: config.issuer, clientId: config.clientId, graphqlPath: `${BASE_PATH}/graphql` }));

  void app.register(httpProxy, { upstream: config.analyticsUrl, prefix: `${BASE_PATH}/graphql`, rewritePrefix: "/graphql", websocket: true, http2: false });
  // Of the users service's API, only the audit log and the API keys (it checks the admin token itself); the rest stays inside the cluster.
  void app.register(httpProxy, { upstream: config.usersUrl, prefix: `${BASE_PATH}/audit`, rewritePrefix: "/v1/audit", http2: false });
  void app.register(httpProxy, { upstream: config.usersUrl, prefix: `${BASE_PATH}/api-keys`, rewritePrefix: "/v1/api-keys", http2: false });
  // A player's export or erasure and its per-store status; never the profile routes beside them.
  const only = (allowed: RegExp) => async (req: FastifyRequest, reply: FastifyReply) => {
    if (!allowed.test(`${req.method} ${req.url.split("?")[0]}`)) return reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` });
  };
  void app.register(httpProxy, { upstream: config.usersUrl, prefix: `${BASE_PATH}/gdpr/players`, rewritePrefix: "/v1/players", http2: false, preHandler: only(/^POST \/dashboard\/gdpr\/players\/[^/]+\/[^/]+\/(export|erase)$/) });
  void app.register(httpProxy, { upstream: config.usersUrl, prefix: `${BASE_PATH}/gdpr/requests`, rewritePrefix: "/v1/gdpr/requests", http2: false, preHandler: only(/^GET \/dashboard\/gdpr\/requests\/[0-9a-f-]{36}$/) });
  // The event path for operators: the DLQ, its replay, the status (lag, error ratio).
  void app.register(httpProxy, { upstream: config.usersUrl, prefix: `${BASE_PATH}/ops`, rewritePrefix: "/v1/ops", http2: false, preHandler: only(/^(GET \/dashboard\/ops\/(dlq|status)|POST \/dashboard\/ops\/dlq\/replay)$/) });

  void app.register(fastifyStatic, {
    root: config.staticDir,
    prefix: `${BASE_PATH}/`,
    index: false,
    // Ours, below: send's default (max-age=0) would replace it.
    cacheControl: false,
    // Vite names assets by content: they never change under a name. index.html must always be fresh.
    setHeaders: (res, path) => res.raw.setHeader("cache-control", path.includes(`${join(config.staticDir, "assets")}`) ? "public, max-age=31536000, immutable" : "no-cache"),
  });
  // The app's own routes (/dashboard, /dashboard/retention, ...) are index.html; the app routes on the client.
  const spa = (reply: FastifyReply) => reply.header("cache-control", "no-cache").sendFile("index.html");
  app.get(BASE_PATH, async (_req, reply) => spa(reply));
  app.get(`${BASE_PATH}/`, async (_req, reply) => spa(reply));
  app.setNotFoundHandler(async (req, reply) => {
    const page = req.method === "GET" && req.url.startsWith(`${BASE_PATH}/`) && !req.url.startsWith(`${BASE_PATH}/assets/`) && !/\.[a-z0-9]+(\?|$)/i.test(req.url);
    if (page) return spa(reply);
    return reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` });
  });
  return app;
}

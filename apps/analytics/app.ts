// The HTTP and WebSocket API: fastify + mercurius (GraphQL over POST/GET, subscriptions over
// graphql-transport-ws), bearer tokens on every request, depth and cost limits, persisted queries.
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { GraphQLError, type ExecutionResult, type ValidationContext } from "graphql";
import mercurius from "mercurius";
import type WebSocket from "ws";
import { AuthError, type Principal, type TokenVerifier } from "../shared/auth";
import { createHttpApp } from "../shared/http-app";
import type { Logger } from "../shared/logger";
import type { ResultCache } from "./cache";
import type { QueryLimits } from "./config";
import { publicError } from "./errors";
import type { LiveHub } from "./live";
import type { AnalyticsMetrics } from "./metrics";
import { PERSISTED_QUERIES } from "./persisted";
import type { Reader } from "./reader";
import type { Recommender } from "./recommendations";
import { resolvers, type AnalyticsContext } from "./resolvers";
import { SCHEMA } from "./schema";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

declare module "mercurius" {
  // Resolvers see our context (mercurius merges it into its own).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface MercuriusContext extends AnalyticsContext {}
}

export interface AnalyticsDeps {
  logger: Logger;
  verifier: TokenVerifier;
  db: Reader;
  cache: ResultCache;
  live: LiveHub;
  recommend: Recommender;
  limits: QueryLimits;
  metrics: AnalyticsMetrics;
  ready: () => boolean;
  now?: () => number;
}

const isUpgrade = (req: FastifyRequest) => (req.headers.upgrade ?? "").toLowerCase() === "websocket";

function gqlErrorBody(code: string, message: string) {
  return { data: null, errors: [{ message, extensions: { code } }] };
}

/** graphql-armor's cost rule, reporting its verdict with our error code. */
export function costRule(maxCost: number) {
  return costLimitRule({
    maxCost,
    objectCost: 2,
    scalarCost: 1,
    depthCostFactor: 1.5,
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ""), { extensions: { code: "QUERY_TOO_COSTLY" } }))],
  });
}

export function buildApp(deps: AnalyticsDeps): FastifyInstance {
  const now = deps.now ?? Date.now;
  const app = createHttpApp({ logger: deps.logger, ready: deps.ready, registry: deps.metrics.registry, fastify: { bodyLimit: 256 * 1024 } });
  app.decorateRequest("principal", null);

  // No anonymous access, introspection included. WebSocket clients authenticate in connection_init
  // (browsers cannot set headers on an upgrade).
  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith("/graphql") || isUpgrade(req)) return;
    try {
      req.principal = await deps.verifier.authenticate(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      deps.metrics.refused.inc({ code: err.code });
      return reply.code(err.status).header("www-authenticate", 'Bearer realm="gamemetrics"').send(gqlErrorBody(err.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", err.message));
    }
  });
  app.addHook("onResponse", async (req, reply) => {
    if (req.url.startsWith("/graphql")) deps.metrics.requests.inc({ status: String(reply.statusCode) });
  });

  // No `socket` key here: for subscriptions mercurius merges this over the context holding the socket.
  const contextOf = (principal: Principal): AnalyticsContext => ({
    principal,
    db: deps.db,
    cache: deps.cache,
    limits: deps.limits,
    live: deps.live,
    recommend: deps.recommend,
    summaries: new Map(),
    onLoaderBatch: (n) => deps.metrics.loaderBatch.observe(n),
    now,
  });

  void app.register(mercurius, {
    schema: SCHEMA,
    resolvers,
    path: "/graphql",
    graphiql: false,
    queryDepth: deps.limits.maxDepth,
    validationRules: [costRule(deps.limits.maxCost)],
    persistedQueryProvider: mercurius.persistedQueryDefaults.prepared(PERSISTED_QUERIES),
    context: (req: FastifyRequest) => contextOf(req.principal as Principal),
    errorFormatter: (execution: ExecutionResult & { errors: readonly GraphQLError[] }) => {
      const log = (e: unknown) => deps.logger.error({ err: e }, "resolver failed");
      const flat = execution.errors.flatMap((e) => {
        const nested = (e.originalError as { errors?: unknown[] } | undefined)?.errors;
        if (!Array.isArray(nested)) return [e];
        return nested.map((n) => {
          if (n instanceof GraphQLError && n.extensions.code !== undefined) return n;
          const ne = n as { message: string; code?: string; locations?: unknown };
          const code = ne.code === "MER_ERR_GQL_QUERY_DEPTH" ? "QUERY_TOO_COSTLY" : "GRAPHQL_VALIDATION_FAILED";
          return new GraphQLError(ne.message, { extensions: { code } });
        });
      });
      const errors = flat.map((e) => publicError(e, log));
      const codes = errors.map((e) => e.extensions?.code);
      const status = execution.data != null ? 200 : codes.includes("UNAUTHENTICATED") ? 401 : codes.includes("FORBIDDEN") ? 403 : codes.includes("INTERNAL") ? 500 : 400;
      return { statusCode: status, response: { data: execution.data ?? null, errors: errors.map((e) => e.toJSON()) } };
    },
    subscription: {
      context: (socket: WebSocket) => ({ socket }),
      onConnect: async (data: { payload?: { authorization?: string; Authorization?: string } | null }) => {
        try {
          const principal = await deps.verifier.authenticate(data.payload?.authorization ?? data.payload?.Authorization);
          return contextOf(principal);
        } catch (err) {
          deps.metrics.refused.inc({ code: err instanceof AuthError ? err.code : "error" });
          return false;
        }
      },
      keepAlive: 15_000,
    },
  });
  return app;
}

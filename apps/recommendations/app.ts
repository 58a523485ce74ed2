// The HTTP API: GET /v1/games/{game}/players/{player}/recommendations?kind=items|levels&limit=N&platform=P,
// bearer tokens from apps/shared/auth, answers through the Redis cache; plus health, metrics and the
// internal player-data routes of this service's GDPR store.
import type { FastifyInstance } from "fastify";
import { AuthError, authorize, type Role, type TokenVerifier } from "../shared/auth";
import { GAME_ID_PATTERN } from "../shared/events/catalog";
import { toFieldErrors } from "../shared/events/validate";
import { createHttpApp } from "../shared/http-app";
import type { Logger } from "../shared/logger";
import { playerDataRoutes } from "../shared/player-data/http";
import type { PlayerDataStore } from "../shared/player-data/types";
import type { CacheOutcome, CacheKey } from "./cache";
import { KINDS, type Kind } from "./interactions";
import type { RecommendationsMetrics } from "./metrics";
import { NoModelError, type Recommendation } from "./recommend";

/** Game servers (service clients) ask on a player's behalf; staff roles may look, within their games. */
export const READ_ROLES: readonly Role[] = ["service", "admin", "analyst", "support"];

export interface AppDeps {
  readonly logger: Logger;
  readonly verifier: TokenVerifier;
  readonly metrics: RecommendationsMetrics;
  readonly defaultLimit: number;
  readonly maxLimit: number;
  /** The live version, or null before the first model. */
  readonly liveVersion: () => string | null;
  /** Cache-aside: answers from Redis or computes (a full page of maxLimit items). */
  readonly recommend: (k: CacheKey, liveVersion: string) => Promise<{ rec: Recommendation; outcome: CacheOutcome }>;
  readonly stores: readonly PlayerDataStore[];
  readonly ready: () => boolean;
}

interface Query {
  kind: Kind;
  limit: number;
  platform?: string;
}

export function buildApp(d: AppDeps): FastifyInstance {
  const app = createHttpApp({
    logger: d.logger,
    ready: d.ready,
    registry: d.metrics.registry,
    notFound: true,
    // Every bad query field at once, each with its path.
    fastify: { ajv: { customOptions: { allErrors: true } } },
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AuthError) return void reply.code(err.status).send({ error: err.code, message: err.message });
    if (err instanceof NoModelError) return void reply.code(503).header("retry-after", "60").send({ error: "no_model", message: err.message });
    const e = err as { validation?: Parameters<typeof toFieldErrors>[0]; validationContext?: string; statusCode?: number; message: string };
    if (e.validation !== undefined) {
      return void reply.code(400).send({ error: "invalid_request", message: `the ${e.validationContext ?? "request"} is invalid`, details: toFieldErrors(e.validation, `/${e.validationContext ?? ""}`) });
    }
    const status = e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) req.log.error({ err }, "request failed");
    return void reply.code(status).send({ error: status === 500 ? "internal" : "bad_request", message: status === 500 ? "internal error" : e.message });
  });
  app.addHook("onResponse", async (req, reply) => {
    d.metrics.requests.inc({ route: req.routeOptions.url ?? "unknown", status: String(reply.statusCode) });
  });

  app.get<{ Params: { game: string; player: string }; Querystring: Query }>(
    "/v1/games/:game/players/:player/recommendations",
    {
      schema: {
        params: {
          type: "object",
          required: ["game", "player"],
          properties: { game: { type: "string", pattern: GAME_ID_PATTERN }, player: { type: "string", minLength: 1, maxLength: 128 } },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            kind: { type: "string", enum: [...KINDS], default: "items" },
            limit: { type: "integer", minimum: 1, maximum: d.maxLimit, default: d.defaultLimit },
            platform: { type: "string", pattern: "^[a-z0-9][a-z0-9 ._-]{0,31}$" },
          },
        },
      },
      // Authentication before validation: an unauthenticated caller learns nothing about the API's shape.
      onRequest: async (req) => {
        const principal = await d.verifier.authenticate(req.headers.authorization);
        const game = (req.params as { game?: string }).game;
        authorize(principal, { roles: READ_ROLES, gameId: game });
      },
    },
    async (req, reply) => {
      const stop = d.metrics.latency.startTimer();
      const version = d.liveVersion();
      if (version === null) throw new NoModelError("no model version is live yet: train one with `npm run recommendations -- train`");
      const { game, player } = req.params;
      const { kind, limit, platform } = req.query;
      const { rec, outcome } = await d.recommend({ game, player, kind, platform: platform ?? null }, version);
      d.metrics.cache.inc({ outcome });
      stop({ outcome });
      return reply.header("x-cache", outcome).send({
        game,
        player,
        kind,
        platform: platform ?? null,
        model_version: rec.version,
        generated_at: rec.generatedAt,
        cache: outcome,
        items: rec.items.slice(0, limit),
      });
    },
  );

  playerDataRoutes(app, d.stores, d.verifier);
  return app;
}

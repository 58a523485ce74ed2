// A game's ingestion API keys for its admins (the dashboard's Operations page): list, create (the
// clear key is in this one answer only; only its hash is stored), revoke. Audited as the CLI is.
import type { FastifyInstance } from "fastify";
import { createApiKey, listApiKeys, revokeApiKey } from "../../shared/apikeys";
import { ApiError } from "../errors";
import { actorOf, caller, GAME, type RouteDeps } from "./context";

const gameParams = { type: "object", required: ["game"], properties: { game: GAME } } as const;
const keyParams = { type: "object", required: ["game", "keyId"], properties: { game: GAME, keyId: { type: "string", pattern: "^[0-9a-f]{16}$" } } } as const;
const createBody = { type: "object", additionalProperties: false, properties: { rateLimitPerSec: { type: "integer", minimum: 1, maximum: 1_000_000 } } } as const;

export function apiKeyRoutes(app: FastifyInstance, d: RouteDeps): void {
  app.get<{ Params: { game: string } }>("/v1/api-keys/:game", { schema: { params: gameParams } }, async (req) => {
    await caller(d, req, ["admin"], req.params.game);
    return { keys: await listApiKeys(d.pool, req.params.game) };
  });

  app.post<{ Params: { game: string }; Body: { rateLimitPerSec?: number } | undefined }>("/v1/api-keys/:game", { schema: { params: gameParams, body: createBody } }, async (req, reply) => {
    const p = await caller(d, req, ["admin"], req.params.game);
    const k = await createApiKey(d.pool, req.params.game, req.body?.rateLimitPerSec, actorOf(p));
    return reply.code(201).header("cache-control", "no-store").send({ keyId: k.keyId, key: k.key });
  });

  app.delete<{ Params: { game: string; keyId: string } }>("/v1/api-keys/:game/:keyId", { schema: { params: keyParams } }, async (req, reply) => {
    const p = await caller(d, req, ["admin"], req.params.game);
    if (!(await revokeApiKey(d.pool, req.params.keyId, actorOf(p), req.params.game))) throw new ApiError(404, "not_found", `no active key ${req.params.keyId} for game ${req.params.game}`);
    return reply.code(204).send();
  });
}

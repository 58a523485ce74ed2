// Player API: profiles (game servers write them) and the GDPR requests on a player's data.
import type { FastifyInstance } from "fastify";
import { inTransaction } from "../../shared/pg";
import { NEEDS } from "../access";
import { ApiError } from "../errors";
import { createRequest, requestStatus, type RequestKind } from "../gdpr/requests";
import { exportDocument } from "../gdpr/export-doc";
import { findProfile, upsertProfile, type ProfilePatch } from "../profiles";
import { actorOf, caller, PLAYER_PARAMS, type RouteDeps } from "./context";

type PlayerParams = { game: string; player: string };

const nullable = (s: Record<string, unknown>) => ({ oneOf: [s, { type: "null" }] });
const profileBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: nullable({ type: "string", minLength: 1, maxLength: 64 }),
    country: nullable({ type: "string", pattern: "^[A-Z]{2}$" }),
    language: nullable({ type: "string", pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$" }),
    marketingConsent: { type: "boolean" },
    analyticsConsent: { type: "boolean" },
  },
} as const;

export function playerRoutes(app: FastifyInstance, d: RouteDeps): void {
  app.put<{ Params: PlayerParams; Body: ProfilePatch }>("/v1/players/:game/:player/profile", { schema: { params: PLAYER_PARAMS, body: profileBody } }, async (req) => {
    const p = await caller(d, req, NEEDS.writeProfile, req.params.game);
    return inTransaction(d.pool, (c) => upsertProfile(c, req.params.game, req.params.player, req.body, actorOf(p)));
  });

  app.get<{ Params: PlayerParams }>("/v1/players/:game/:player/profile", { schema: { params: PLAYER_PARAMS } }, async (req) => {
    await caller(d, req, NEEDS.readProfile, req.params.game);
    const profile = await findProfile(d.pool, req.params.game, req.params.player);
    if (profile === undefined) throw new ApiError(404, "not_found", `no profile for player ${req.params.player} of game ${req.params.game}`);
    return profile;
  });

  for (const kind of ["export", "erase"] as const satisfies readonly RequestKind[]) {
    app.post<{ Params: PlayerParams }>(`/v1/players/:game/:player/${kind}`, { schema: { params: PLAYER_PARAMS } }, async (req, reply) => {
      const p = await caller(d, req, NEEDS.gdpr, req.params.game);
      const { requestId, created } = await createRequest(d.pool, d.stores, d.gdpr, { kind, gameId: req.params.game, playerId: req.params.player, actor: actorOf(p) });
      if (created) d.metrics.gdprRequests.inc({ kind, event: "created" });
      return reply.code(202).header("location", `/v1/gdpr/requests/${requestId}`).send({ requestId, kind, status: `/v1/gdpr/requests/${requestId}` });
    });
  }

  const statusOf = async (req: Parameters<typeof caller>[1], id: string) => {
    const s = await requestStatus(d.pool, id);
    if (s === undefined) throw new ApiError(404, "not_found", `no GDPR request ${id}`);
    await caller(d, req, NEEDS.gdpr, s.gameId);
    return s;
  };
  const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } } as const;

  app.get<{ Params: { id: string } }>("/v1/gdpr/requests/:id", { schema: { params: idParams } }, async (req) => {
    const s = await statusOf(req, req.params.id);
    return { ...s, ...(s.kind === "export" && s.status === "done" ? { document: `/v1/gdpr/requests/${s.requestId}/document` } : {}) };
  });

  app.get<{ Params: { id: string } }>("/v1/gdpr/requests/:id/document", { schema: { params: idParams } }, async (req, reply) => {
    const s = await statusOf(req, req.params.id);
    if (s.kind !== "export") throw new ApiError(404, "not_found", "an erasure has no document");
    if (s.status !== "done") throw new ApiError(409, "not_ready", "the export is still running; poll the request until its status is done");
    if (s.expiresAt !== null && s.expiresAt < new Date()) throw new ApiError(410, "expired", `the document was deleted at ${s.expiresAt.toISOString()}; request a new export`);
    return reply
      .type("application/gzip")
      .header("content-disposition", `attachment; filename="gamemetrics-export-${s.gameId}-${s.requestId}.ndjson.gz"`)
      .send(await exportDocument(d.pool, s));
  });
}

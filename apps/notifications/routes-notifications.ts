// Sending: POST /v1/notifications (idempotent per game and key), its status with every attempt, and
// the in-app WebSocket with the tickets game servers get for their players.
import type { FastifyInstance } from "fastify";
import { mayAccessGame } from "../shared/auth";
import { takeIn } from "./accept";
import { ApiError, principal, type AppDeps } from "./http";
import type { NotificationRequest } from "./model";
import { requestSchema } from "./schemas";

const uuidParam = { type: "object", properties: { id: { type: "string", format: "uuid" } } } as const;
const playerParams = { type: "object", properties: { game: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" }, player: { type: "string", minLength: 1, maxLength: 128 } } } as const;

export function registerNotificationRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Body: NotificationRequest }>("/v1/notifications", { schema: { body: requestSchema } }, async (req, reply) => {
    await principal(deps, req, ["service", "admin"], req.body.game_id);
    const out = await takeIn(deps.intake, req.body, "api");
    switch (out.kind) {
      case "accepted":
        return reply.code(202).send({ id: out.id, status: "accepted" });
      case "duplicate":
        return reply.code(200).send({ id: out.id, status: "duplicate" });
      case "suppressed":
        return reply.code(202).send({ status: "suppressed", message: "the player is erased or without consent: nothing is stored or sent" });
      case "conflict":
        throw new ApiError(409, "idempotency_conflict", `idempotency_key was already used for notification ${out.id} with a different request`, { id: out.id });
      case "invalid":
        throw new ApiError(422, out.code, "the request cannot be delivered as it stands", out.errors);
    }
  });

  app.get<{ Params: { id: string } }>("/v1/notifications/:id", { schema: { params: uuidParam } }, async (req) => {
    const p = await principal(deps, req, ["admin", "support", "service"]);
    const { rows } = await deps.pool.query<{ game_id: string } & Record<string, unknown>>(
      `SELECT n.notification_id AS id, n.game_id, n.player_id, n.template_id AS template, n.category, n.source, n.created_at, n.send_at,
              COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'reason', d.reason, 'provider', d.provider,
                        'attempts', d.attempts, 'due_at', d.due_at, 'delivered_at', d.delivered_at, 'digest_into', d.digest_into,
                        'history', (SELECT COALESCE(json_agg(json_build_object('attempt', a.attempt, 'provider', a.provider, 'outcome', a.outcome, 'reason', a.reason,
                                    'response', a.response, 'started_at', a.started_at, 'finished_at', a.finished_at) ORDER BY a.attempt), '[]'::json)
                                    FROM notification_attempts a WHERE a.delivery_id = d.delivery_id)) ORDER BY d.channel)
                 FROM notification_deliveries d WHERE d.notification_id = n.notification_id), '[]'::json) AS deliveries
       FROM notifications n WHERE n.notification_id = $1`,
      [req.params.id],
    );
    // Another game's notification is as absent as one that never existed.
    if (rows.length === 0 || !mayAccessGame(p, rows[0].game_id)) throw new ApiError(404, "not_found", `no notification ${req.params.id}`);
    return rows[0];
  });

  app.get("/v1/push/vapid-public-key", async () => {
    if (deps.vapidPublicKey === undefined) throw new ApiError(404, "not_configured", "Web Push is not configured on this platform");
    return { public_key: deps.vapidPublicKey };
  });

  app.post<{ Params: { game: string; player: string } }>("/v1/games/:game/players/:player/inbox-tickets", { schema: { params: playerParams } }, async (req, reply) => {
    await principal(deps, req, ["service"], req.params.game);
    if (deps.inApp === undefined) throw new ApiError(409, "not_configured", "in-app notifications are not configured on this platform (INAPP_TICKET_SECRET)");
    const ticket = await deps.inApp.tickets.issue(req.params.game, req.params.player);
    return reply.code(201).send({ ticket, expires_in: deps.inApp.tickets.ttlSec });
  });

  app.get<{ Querystring: { ticket?: string } }>("/v1/inbox", { websocket: true }, (socket, req) => {
    // Verified before the upgrade (preValidation), so the address is there.
    const { gameId, playerId } = (req as unknown as { inbox: { gameId: string; playerId: string } }).inbox;
    const hub = deps.inApp?.hub;
    if (hub === undefined) return socket.close(1011, "in-app not configured");
    const remove = hub.add(gameId, playerId, socket);
    deps.metrics.inAppConnections.set(hub.connections);
    socket.on("close", () => {
      remove();
      deps.metrics.inAppConnections.set(hub.connections);
    });
    socket.send(JSON.stringify({ type: "ready", game_id: gameId, player_id: playerId }));
  });
  app.addHook("preValidation", async (req) => {
    if (req.routeOptions.url !== "/v1/inbox") return;
    if (deps.inApp === undefined) throw new ApiError(409, "not_configured", "in-app notifications are not configured on this platform");
    const ticket = (req.query as { ticket?: string }).ticket;
    if (ticket === undefined || ticket === "") throw new ApiError(401, "unauthenticated", "open the inbox with ?ticket=<ticket from POST /v1/games/{game}/players/{player}/inbox-tickets>");
    try {
      Object.assign(req, { inbox: await deps.inApp.tickets.verify(ticket) });
    } catch (err) {
      throw new ApiError(401, "unauthenticated", `ticket rejected: ${(err as Error).message}`);
    }
  });
}

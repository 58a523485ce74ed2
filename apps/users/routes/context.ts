import type { FastifyRequest } from "fastify";
import type { Pool } from "pg";
import { ALL_GAMES, authorize, type Principal, type Role, type TokenVerifier } from "../../shared/auth";
import type { BuiltStore } from "../../shared/player-data";
import type { GdprSettings } from "../config";
import { ApiError } from "../errors";
import type { DlqBrowser } from "../ops/dlq";
import type { OpsStatus } from "../ops/status";
import type { UsersMetrics } from "../metrics";
import type { ServiceSecrets } from "../secrets";

/** What the API routes are built from. */
export interface RouteDeps {
  readonly pool: Pool;
  readonly secrets: ServiceSecrets;
  readonly verifier: TokenVerifier;
  readonly stores: readonly BuiltStore[];
  readonly gdpr: GdprSettings;
  readonly metrics: UsersMetrics;
  /** The operators' view of the event path: the DLQ (system.dlq) and the status (lag, error ratio). */
  readonly ops: { readonly dlq: DlqBrowser; readonly status: () => Promise<OpsStatus> };
}

/** `staff:<id>` or `client:<id>`: who a token speaks for, as the audit log names it. */
export const actorOf = (p: Principal): string => (p.subject === p.clientId ? `client:${p.clientId}` : `staff:${p.subject}`);

/** Verifies the bearer token and the roles (and game) the action needs; returns the caller. */
export async function caller(d: RouteDeps, req: FastifyRequest, roles: readonly Role[], gameId?: string): Promise<Principal> {
  const p = await d.verifier.authenticate(req.headers.authorization);
  authorize(p, { roles, gameId });
  return p;
}

/** An admin of every game: what platform-wide views (the audit log, the DLQ, the event path's status) need. */
export async function platformAdmin(d: RouteDeps, req: FastifyRequest, what: string): Promise<Principal> {
  const p = await caller(d, req, ["admin"]);
  if (p.games !== ALL_GAMES) throw new ApiError(403, "forbidden", `${what} covers every game: it needs an admin of all games`);
  return p;
}

export const ID = { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9._:@-]+$" } as const;
export const GAME = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" } as const;
export const PLAYER_PARAMS = { type: "object", required: ["game", "player"], properties: { game: GAME, player: ID } } as const;

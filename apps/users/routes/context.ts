import type { FastifyRequest } from "fastify";
import type { Pool } from "pg";
import { authorize, type Principal, type Role, type TokenVerifier } from "../../shared/auth";
import type { BuiltStore } from "../../shared/player-data";
import type { GdprSettings } from "../config";
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
}

/** `staff:<id>` or `client:<id>`: who a token speaks for, as the audit log names it. */
export const actorOf = (p: Principal): string => (p.subject === p.clientId ? `client:${p.clientId}` : `staff:${p.subject}`);

/** Verifies the bearer token and the roles (and game) the action needs; returns the caller. */
export async function caller(d: RouteDeps, req: FastifyRequest, roles: readonly Role[], gameId?: string): Promise<Principal> {
  const p = await d.verifier.authenticate(req.headers.authorization);
  authorize(p, { roles, gameId });
  return p;
}

export const ID = { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9._:@-]+$" } as const;
export const GAME = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" } as const;
export const PLAYER_PARAMS = { type: "object", required: ["game", "player"], properties: { game: GAME, player: ID } } as const;

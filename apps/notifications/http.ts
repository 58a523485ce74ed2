// What the HTTP routes share: their dependencies, deliberate API errors, and the caller's principal.
import type Ajv from "ajv";
import type { FastifyRequest } from "fastify";
import type { Pool } from "pg";
import { authorize, hasRole, type Principal, type Role, type TokenVerifier } from "../shared/auth";
import type { Logger } from "../shared/logger";
import type { TakeInDeps } from "./accept";
import type { RuleCache, TemplateCache } from "./catalog";
import type { InAppHub, InboxTickets } from "./channels/in-app";
import type { NotificationsMetrics } from "./metrics";
import type { Channel } from "./model";
import { ApiError } from "../shared/api-error";

export { ApiError };

export interface AppDeps {
  logger: Logger;
  pool: Pool;
  ajv: Ajv;
  verifier: TokenVerifier;
  intake: TakeInDeps;
  templates: TemplateCache;
  rules: RuleCache;
  metrics: NotificationsMetrics;
  /** Channels this platform can deliver on; push kinds that are configured. */
  channels: readonly Channel[];
  pushKinds: readonly ("webpush" | "fcm")[];
  vapidPublicKey?: string;
  inApp?: { hub: InAppHub; tickets: InboxTickets };
  ready: () => boolean;
}

/** Authenticates the request and checks the roles (and the game, when named). */
export async function principal(deps: AppDeps, req: FastifyRequest, roles: readonly Role[], gameId?: string): Promise<Principal> {
  const p = await deps.verifier.authenticate(req.headers.authorization);
  authorize(p, { roles, gameId });
  return p;
}

/** How a principal appears in the audit log. */
export const actorOf = (p: Principal): string => (hasRole(p, "service") ? `client:${p.clientId}` : `staff:${p.subject}`);

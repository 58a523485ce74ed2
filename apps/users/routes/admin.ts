// Admin API: staff accounts and OAuth clients. Every change is audited in its own transaction.
import type { FastifyInstance } from "fastify";
import { ALL_GAMES, ROLES } from "../../shared/auth";
import { inTransaction } from "../../shared/pg";
import { NEEDS } from "../access";
import { createClient, revokeClient, rotateClientSecret, type NewClient } from "../clients";
import { ApiError } from "../errors";
import { MIN_PASSWORD_LENGTH } from "../passwords";
import { createStaff, disableStaff, type NewStaff } from "../staff";
import { totpUri } from "../totp";
import { actorOf, caller, GAME, type RouteDeps } from "./context";

const games = { oneOf: [{ const: ALL_GAMES }, { type: "array", items: GAME, maxItems: 1000 }] } as const;
const roles = { type: "array", items: { enum: ROLES }, minItems: 1, uniqueItems: true } as const;

const staffBody = {
  type: "object",
  required: ["email", "password", "roles", "games"],
  additionalProperties: false,
  properties: { email: { type: "string", format: "email", maxLength: 254 }, password: { type: "string", minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }, roles, games, totp: { type: "boolean" } },
} as const;

const clientBody = {
  type: "object",
  required: ["clientId", "kind"],
  additionalProperties: false,
  properties: {
    clientId: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{2,63}$" },
    kind: { enum: ["confidential", "public"] },
    description: { type: "string", maxLength: 500 },
    redirectUris: { type: "array", items: { type: "string", format: "uri", pattern: "^https?://" }, maxItems: 20 },
    roles,
    games,
  },
  // A public client signs staff in (it needs where to send them back); a confidential one gets its tokens' roles.
  allOf: [
    { if: { properties: { kind: { const: "public" } } }, then: { required: ["redirectUris"], properties: { redirectUris: { minItems: 1 } } } },
    { if: { properties: { kind: { const: "confidential" } } }, then: { required: ["roles"] } },
  ],
} as const;

const clientParams = { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 64 } } } as const;

export function adminRoutes(app: FastifyInstance, d: RouteDeps): void {
  app.post<{ Body: Omit<NewStaff, "totp"> & { totp?: boolean } }>("/v1/staff", { schema: { body: staffBody } }, async (req, reply) => {
    const p = await caller(d, req, NEEDS.manageStaff);
    const { account, totpSecret } = await inTransaction(d.pool, (c) => createStaff(c, d.secrets, { ...req.body, totp: req.body.totp ?? false }, actorOf(p)));
    return reply.code(201).send({ ...account, ...(totpSecret === undefined ? {} : { totpSecret, totpUri: totpUri(totpSecret, account.email) }) });
  });

  app.delete<{ Params: { id: string } }>("/v1/staff/:id", { schema: { params: clientParams } }, async (req, reply) => {
    const p = await caller(d, req, NEEDS.manageStaff);
    if (!(await inTransaction(d.pool, (c) => disableStaff(c, req.params.id, actorOf(p))))) throw new ApiError(404, "not_found", `no active staff account ${req.params.id}`);
    return reply.code(204).send();
  });

  app.post<{ Body: NewClient }>("/v1/clients", { schema: { body: clientBody } }, async (req, reply) => {
    const p = await caller(d, req, NEEDS.manageClients);
    const { client, secret } = await inTransaction(d.pool, (c) => createClient(c, d.secrets, req.body, actorOf(p)));
    return reply.code(201).send({ ...client, ...(secret === undefined ? {} : { clientSecret: secret }) });
  });

  app.post<{ Params: { id: string } }>("/v1/clients/:id/rotate-secret", { schema: { params: clientParams } }, async (req, reply) => {
    const p = await caller(d, req, NEEDS.manageClients);
    const secret = await inTransaction(d.pool, (c) => rotateClientSecret(c, d.secrets, req.params.id, actorOf(p)));
    if (secret === undefined) throw new ApiError(404, "not_found", `no active confidential client ${req.params.id}`);
    return reply.send({ clientId: req.params.id, clientSecret: secret });
  });

  app.delete<{ Params: { id: string } }>("/v1/clients/:id", { schema: { params: clientParams } }, async (req, reply) => {
    const p = await caller(d, req, NEEDS.manageClients);
    if (!(await inTransaction(d.pool, (c) => revokeClient(c, req.params.id, actorOf(p))))) throw new ApiError(404, "not_found", `no active client ${req.params.id}`);
    return reply.code(204).send();
  });
}

// The operator APIs the dashboard's Operations page uses: the audit log (admins of every game only,
// filtered by action or dotted prefix, paged by sequence number, the chain check) and a game's
// ingestion API keys (its admins: list, create once-shown, revoke).
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { findApiKey } from "../../../apps/shared/apikeys";
import { appendAudit, verifyAuditChain } from "../../../apps/shared/audit";
import { inTransaction } from "../../../apps/shared/pg";
import { newClient, startUsers, testPool, type Users } from "./support";

let users: Users;
let pool: Pool;
const tokens: Record<string, string> = {};
const run = randomBytes(3).toString("hex");
const insecure = { execute: [oidc.allowInsecureRequests] };
const action = `test${run}`;
const game = `keys-${run}`;

async function tokenFor(clientId: string, roles: ("admin" | "support")[], games: "*" | string[]): Promise<string> {
  const { secret } = await newClient(pool, { clientId, kind: "confidential", roles, games });
  const config = await oidc.discovery(new URL(users.issuer), clientId, undefined, oidc.ClientSecretBasic(secret as string), insecure);
  return (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
}

beforeAll(async () => {
  pool = testPool();
  users = await startUsers("audit-api");
  tokens.admin = await tokenFor(`audit-ops-${run}`, ["admin"], "*");
  tokens.oneGame = await tokenFor(`audit-one-${run}`, ["admin"], [game]);
  tokens.support = await tokenFor(`audit-desk-${run}`, ["support"], "*");
  for (const sub of ["a", "b", "c"]) await inTransaction(pool, (c) => appendAudit(c, { actor: "test", action: `${action}.${sub}`, target: `t:${sub}` }));
  await inTransaction(pool, (c) => appendAudit(c, { actor: "test", action: `${action}x.other`, target: "t:x" }));
});
afterAll(async () => {
  await users?.service.stop();
  await pool?.end();
});

const send = async (method: string, path: string, token?: string, body?: unknown) => {
  const headers: Record<string, string> = { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "content-type": "application/json" }) };
  const r = await fetch(`${users.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await r.text();
  return { status: r.status, body: (text === "" ? {} : JSON.parse(text)) as Record<string, unknown> };
};
const get = (path: string, token?: string) => send("GET", path, token);

test("a game's admin creates an API key shown once (found by the lookup ingestion uses), lists it, and revokes it", async () => {
  expect((await send("POST", `/v1/api-keys/${game}`, tokens.support, {})).status).toBe(403);
  expect((await send("POST", `/v1/api-keys/other-game`, tokens.oneGame, {})).status).toBe(403);
  expect((await send("POST", `/v1/api-keys/${game}`, tokens.oneGame, { rateLimitPerSec: 0 })).status).toBe(400);
  const made = await send("POST", `/v1/api-keys/${game}`, tokens.oneGame, { rateLimitPerSec: 50 });
  expect(made.status).toBe(201);
  const key = made.body.key as string;
  expect(await findApiKey(pool, key)).toMatchObject({ keyId: made.body.keyId, gameId: game, rateLimitPerSec: 50 });
  const listed = await get(`/v1/api-keys/${game}`, tokens.oneGame);
  expect(listed.body.keys).toEqual([{ keyId: made.body.keyId, createdAt: expect.any(String), rateLimitPerSec: 50, revokedAt: null }]);
  expect(JSON.stringify(listed.body)).not.toContain(key.slice(20));
  // Another game's path cannot revoke it; its own can, once.
  expect((await send("DELETE", `/v1/api-keys/${game}-x/${String(made.body.keyId)}`, tokens.admin)).status).toBe(404);
  expect((await send("DELETE", `/v1/api-keys/${game}/${String(made.body.keyId)}`, tokens.oneGame)).status).toBe(204);
  expect((await send("DELETE", `/v1/api-keys/${game}/${String(made.body.keyId)}`, tokens.oneGame)).status).toBe(404);
  expect(await findApiKey(pool, key)).toBeUndefined();
  expect((await get(`/v1/api-keys/${game}`, tokens.oneGame)).body.keys).toEqual([expect.objectContaining({ keyId: made.body.keyId, revokedAt: expect.any(String) })]);
  const audited = await pool.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE details->>'keyId' = $1 ORDER BY seq", [made.body.keyId]);
  expect(audited.rows).toEqual([{ action: "apikey.create", actor: `client:audit-one-${run}` }, { action: "apikey.revoke", actor: `client:audit-one-${run}` }]);
});

test("only an admin of every game reads it", async () => {
  expect((await get("/v1/audit")).status).toBe(401);
  expect((await get("/v1/audit", tokens.support)).status).toBe(403);
  const one = await get("/v1/audit", tokens.oneGame);
  expect(one).toMatchObject({ status: 403, body: { message: "the audit log covers every game: it needs an admin of all games" } });
  expect((await get("/v1/audit/verify", tokens.oneGame)).status).toBe(403);
});

test("filters by action or its dotted prefix, newest first, and pages by sequence number", async () => {
  const first = await get(`/v1/audit?action=${action}&limit=2`, tokens.admin);
  expect(first.status).toBe(200);
  const entries = first.body.entries as { seq: number; action: string; target: string }[];
  // The prefix matches at a dot: `<action>x.other` is another action.
  expect(entries.map((e) => e.action)).toEqual([`${action}.c`, `${action}.b`]);
  expect(first.body.nextBefore).toBe(entries[1].seq);
  const next = await get(`/v1/audit?action=${action}&limit=2&before=${String(first.body.nextBefore)}`, tokens.admin);
  expect((next.body.entries as { action: string }[]).map((e) => e.action)).toEqual([`${action}.a`]);
  expect(next.body.nextBefore).toBeNull();
  expect(((await get(`/v1/audit?action=${action}.b`, tokens.admin)).body.entries as { target: string }[]).map((e) => e.target)).toEqual(["t:b"]);
  const bad = await get("/v1/audit?action=DROP%20TABLE", tokens.admin);
  expect(bad.status).toBe(400);
});

test("verify answers what the chain walk finds", async () => {
  const r = await get("/v1/audit/verify", tokens.admin);
  expect(r.status).toBe(200);
  const direct = await verifyAuditChain(pool);
  expect(r.body.ok).toBe(direct.ok);
  expect(r.body.entries as number).toBeLessThanOrEqual(direct.entries);
});

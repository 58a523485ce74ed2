// The audit log API the dashboard's Operations page reads: admins of every game only, filtered by
// action (exact or dotted prefix), paged by sequence number, and the chain check.
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { appendAudit, verifyAuditChain } from "../../../apps/shared/audit";
import { inTransaction } from "../../../apps/shared/pg";
import { newClient, startUsers, testPool, type Users } from "./support";

let users: Users;
let pool: Pool;
const tokens: Record<string, string> = {};
const run = randomBytes(3).toString("hex");
const insecure = { execute: [oidc.allowInsecureRequests] };
const action = `test${run}`;

async function tokenFor(clientId: string, roles: ("admin" | "support")[], games: "*" | string[]): Promise<string> {
  const { secret } = await newClient(pool, { clientId, kind: "confidential", roles, games });
  const config = await oidc.discovery(new URL(users.issuer), clientId, undefined, oidc.ClientSecretBasic(secret as string), insecure);
  return (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
}

beforeAll(async () => {
  pool = testPool();
  users = await startUsers("audit-api");
  tokens.admin = await tokenFor(`audit-ops-${run}`, ["admin"], "*");
  tokens.oneGame = await tokenFor(`audit-one-${run}`, ["admin"], ["g1"]);
  tokens.support = await tokenFor(`audit-desk-${run}`, ["support"], "*");
  for (const sub of ["a", "b", "c"]) await inTransaction(pool, (c) => appendAudit(c, { actor: "test", action: `${action}.${sub}`, target: `t:${sub}` }));
  await inTransaction(pool, (c) => appendAudit(c, { actor: "test", action: `${action}x.other`, target: "t:x" }));
});
afterAll(async () => {
  await users?.service.stop();
  await pool?.end();
});

const get = async (path: string, token?: string) => {
  const r = await fetch(`${users.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

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

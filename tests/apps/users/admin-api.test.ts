// The admin API: staff accounts and OAuth clients, created, rotated and revoked by admins only,
// each change audited; a client's secret works exactly until it is rotated or the client revoked.
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { newClient, startUsers, testPool, type Users } from "./support";

let users: Users;
let pool: Pool;
let admin: string;
let support: string;
const run = randomBytes(3).toString("hex");
const insecure = { execute: [oidc.allowInsecureRequests] };

async function tokenFor(clientId: string, secret: string): Promise<string> {
  const config = await oidc.discovery(new URL(users.issuer), clientId, undefined, oidc.ClientSecretBasic(secret), insecure);
  return (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
}

beforeAll(async () => {
  pool = testPool();
  users = await startUsers("admin-api");
  admin = await tokenFor(`ops-${run}`, (await newClient(pool, { clientId: `ops-${run}`, kind: "confidential", roles: ["admin"], games: "*" })).secret as string);
  support = await tokenFor(`desk-${run}`, (await newClient(pool, { clientId: `desk-${run}`, kind: "confidential", roles: ["support"], games: "*" })).secret as string);
});
afterAll(async () => {
  await users?.service.stop();
  await pool?.end();
});

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const r = await fetch(`${users.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: r.status === 204 ? {} : ((await r.json()) as Record<string, unknown>) };
};

test("an admin creates staff (with TOTP) and clients; support may not; bad bodies name the field", async () => {
  const staff = await call("POST", "/v1/staff", admin, { email: `Ann-${run}@Example.com`, password: "a long enough password", roles: ["analyst"], games: ["g1"], totp: true });
  expect(staff.status).toBe(201);
  expect(staff.body).toMatchObject({ email: `ann-${run}@example.com`, roles: ["analyst"], games: ["g1"], totp: true, totpUri: expect.stringMatching(/^otpauth:\/\/totp\//) });
  expect((await call("POST", "/v1/staff", admin, { email: `Ann-${run}@example.com`, password: "a long enough password", roles: ["analyst"], games: "*" })).status).toBe(409);
  expect((await call("POST", "/v1/staff", support, { email: `x-${run}@example.com`, password: "a long enough password", roles: ["admin"], games: "*" })).status).toBe(403);

  const noRedirect = await call("POST", "/v1/clients", admin, { clientId: `dash-${run}`, kind: "public" });
  expect(noRedirect.status).toBe(400);
  expect(noRedirect.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("redirectUris") })]));
  const short = await call("POST", "/v1/staff", admin, { email: `y-${run}@example.com`, password: "short", roles: ["admin"], games: "*" });
  expect(short.body.details).toEqual([expect.objectContaining({ path: "/password" })]);
});

test("a client secret works until rotated; a revoked client gets no token; every change is audited", async () => {
  const id = `gs-${run}`;
  const created = await call("POST", "/v1/clients", admin, { clientId: id, kind: "confidential", roles: ["service"], games: ["g1"] });
  expect(created.status).toBe(201);
  const first = created.body.clientSecret as string;
  await expect(tokenFor(id, first)).resolves.toEqual(expect.any(String));

  const rotated = await call("POST", `/v1/clients/${id}/rotate-secret`, admin);
  const second = rotated.body.clientSecret as string;
  expect(second).not.toBe(first);
  await expect(tokenFor(id, first)).rejects.toThrow();
  await expect(tokenFor(id, second)).resolves.toEqual(expect.any(String));

  expect((await call("DELETE", `/v1/clients/${id}`, admin)).status).toBe(204);
  await expect(tokenFor(id, second)).rejects.toThrow();
  expect((await call("DELETE", `/v1/clients/${id}`, admin)).status).toBe(404);

  const audit = await pool.query("SELECT actor, action FROM audit_log WHERE target = $1 ORDER BY seq", [`client:${id}`]);
  expect(audit.rows).toEqual(["client.create", "client.rotate_secret", "client.revoke"].map((action) => ({ actor: `client:ops-${run}`, action })));
});

// The platform's own clients, registered by the users service on start-up against real PostgreSQL: the
// dashboard's public client follows the deploy's redirect URIs (created, unchanged, updated, audited,
// one winner among pods starting together, a revocation kept), and the analytics client gets tokens
// with the secret derived from the service's key.
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { createTokenVerifier } from "../../../apps/shared/auth";
import { ANALYTICS_CLIENT_ID } from "../../../apps/shared/auth/platform-clients";
import { inTransaction } from "../../../apps/shared/pg";
import { findClient, revokeClient } from "../../../apps/users/clients";
import { ensurePublicClient } from "../../../apps/users/platform-clients";
import { newClient, secrets, startUsers, testPool, type Users } from "./support";

const run = randomBytes(3).toString("hex");
const edge = (host: string) => `https://${host}.example.com/dashboard/callback`;
let pool: Pool;

beforeAll(() => {
  pool = testPool();
});
afterAll(async () => {
  await pool?.end();
});

const audits = async (clientId: string) =>
  (await pool.query<{ action: string; details: Record<string, unknown> }>("SELECT action, details FROM audit_log WHERE target = $1 ORDER BY seq", [`client:${clientId}`])).rows;

describe("ensurePublicClient", () => {
  it("creates the client once, leaves it on a re-deploy, and follows a moved edge host (audited)", async () => {
    const id = `dash-seed-${run}`;
    expect(await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("a")] })).toBe("created");
    expect(await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("a")] })).toBe("unchanged");
    expect(await findClient(pool, id)).toMatchObject({ kind: "public", redirectUris: [edge("a")], roles: [] });
    expect(await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("b"), edge("c")] })).toBe("updated");
    expect(await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("c"), edge("b")] })).toBe("unchanged"); // order is no change
    expect((await findClient(pool, id))?.redirectUris).toEqual([edge("b"), edge("c")]);
    expect(await audits(id)).toEqual([
      { action: "client.create", details: expect.objectContaining({ kind: "public", redirectUris: [edge("a")] }) },
      { action: "client.update_redirect_uris", details: { from: [edge("a")], to: [edge("b"), edge("c")] } },
    ]);
  });

  it("with pods starting together, one registers and the others find it done", async () => {
    const id = `dash-race-${run}`;
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("race")] })));
    expect(outcomes.sort()).toEqual(["created", "unchanged", "unchanged", "unchanged"]);
    expect(await audits(id)).toHaveLength(1);
  });

  it("keeps an operator's revocation, and refuses an id taken by a confidential client", async () => {
    const id = `dash-revoked-${run}`;
    await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("a")] });
    await inTransaction(pool, (c) => revokeClient(c, id, "test"));
    expect(await ensurePublicClient(pool, secrets, { clientId: id, redirectUris: [edge("b")] })).toBe("revoked");
    expect(await findClient(pool, id)).toBeUndefined();
    const taken = `server-${run}`;
    await newClient(pool, { clientId: taken, kind: "confidential", roles: ["service"], games: "*" });
    await expect(ensurePublicClient(pool, secrets, { clientId: taken, redirectUris: [edge("a")] })).rejects.toThrow(`client ${taken} exists as a confidential client`);
  });
});

describe("the users service on start-up", () => {
  const clientId = `dash-boot-${run}`;
  const redirectUri = `http://127.0.0.1:9/dashboard/callback`;
  let users: Users;
  beforeAll(async () => {
    users = await startUsers(`platform-clients-${run}`, { env: { USERS_DASHBOARD_CLIENT_ID: clientId, USERS_DASHBOARD_REDIRECT_URIS: redirectUri } });
  });
  afterAll(async () => {
    await users?.service.stop();
  });

  it("registers the dashboard's client: its redirect URI is accepted, any other refused", async () => {
    const authorize = (uri: string) => {
      const q = new URLSearchParams({ client_id: clientId, redirect_uri: uri, response_type: "code", scope: "openid", code_challenge: "x".repeat(43), code_challenge_method: "S256" });
      return fetch(`${users.issuer}/auth?${q}`, { redirect: "manual" });
    };
    const ok = await authorize(redirectUri);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toContain("/interaction/");
    expect((await authorize("https://evil.example.com/dashboard/callback")).status).toBe(400);
  });

  it("has created the analytics client: its derived secret gets a service token for every game", async () => {
    const version = (await findClient(pool, ANALYTICS_CLIENT_ID))?.secretVersion ?? 1;
    const config = await oidc.discovery(new URL(users.issuer), ANALYTICS_CLIENT_ID, undefined, oidc.ClientSecretBasic(secrets.clientSecret(ANALYTICS_CLIENT_ID, version)), { execute: [oidc.allowInsecureRequests] });
    const { access_token: token } = await oidc.clientCredentialsGrant(config, { scope: "api" });
    const verifier = createTokenVerifier({ issuer: users.issuer, audience: "gamemetrics-api" });
    expect(await verifier.verify(token)).toMatchObject({ clientId: ANALYTICS_CLIENT_ID, roles: ["service"], games: "*" });
  });
});

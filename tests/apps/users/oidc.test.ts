// The users service as the platform's OIDC provider, driven by a real OIDC client (openid-client):
// authorization code + PKCE with the staff login (password, TOTP, throttling), client credentials,
// refresh-token rotation with reuse detection, and its tokens verified the way every other API
// verifies them (apps/shared/auth), including the refusals.
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { createTokenVerifier } from "../../../apps/shared/auth";
import { currentTotp } from "../../../apps/users/totp";
import { browser, forgeWithServiceKey, newClient, newStaff, startUsers, testPool, type Users } from "./support";

let users: Users;
let pool: Pool;
const run = randomBytes(3).toString("hex");
const game = `g-oidc-${run}`;
const dashboard = `dashboard-${run}`;
const redirectUri = "http://127.0.0.1:9/callback";
const password = "correct horse battery staple";
let totpSecret: string;
const insecure = { execute: [oidc.allowInsecureRequests] };

beforeAll(async () => {
  pool = testPool();
  await pool.query("INSERT INTO games (game_id) VALUES ($1)", [game]);
  users = await startUsers("oidc", { env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_SOURCE: "100000" } });
  await newClient(pool, { clientId: dashboard, kind: "public", redirectUris: [redirectUri] });
  await newStaff(pool, { email: `analyst-${run}@example.com`, password, roles: ["analyst"], games: [game], totp: false });
  totpSecret = (await newStaff(pool, { email: `admin-${run}@example.com`, password, roles: ["admin"], games: "*", totp: true })).totpSecret as string;
});
afterAll(async () => {
  await users?.service.stop();
  await pool?.end();
});

const dashboardConfig = () => oidc.discovery(new URL(users.issuer), dashboard, { id_token_signed_response_alg: "ES256" }, oidc.None(), insecure);

/** A browser signing in: authorize, login form, consent, back to the redirect URI with a code. */
async function signIn(email: string, totp?: string) {
  const config = await dashboardConfig();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid offline_access api",
    prompt: "consent",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  const b = browser();
  let res = await b.go(authUrl.href);
  const abs = (loc: string | null) => new URL(loc ?? "", users.url).href;
  const interaction = abs(res.headers.get("location"));
  expect(interaction).toMatch(/\/oauth\/interaction\//);
  expect((await (await b.go(interaction)).text())).toContain('name="password"');
  res = await b.go(`${interaction}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, totp: totp ?? "" }).toString(),
  });
  if (res.status !== 303) return { status: res.status, body: await res.text() };
  // Back to the authorization endpoint, through the consent interaction, to the client.
  for (let hops = 0; hops < 6; hops++) {
    const loc = abs(res.headers.get("location"));
    if (loc.startsWith(redirectUri)) {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(loc), { pkceCodeVerifier: verifier, expectedState: state });
      return { status: 200, tokens, config };
    }
    res = await b.go(loc);
  }
  throw new Error("the login flow did not come back to the client");
}

const verifier = (audience = "gamemetrics-api") => createTokenVerifier({ issuer: users.issuer, audience });

test("authorization code + PKCE: a staff login with TOTP yields an RFC 9068 token that another service verifies", async () => {
  const r = await signIn(`admin-${run}@example.com`, currentTotp(totpSecret));
  if (r.tokens === undefined) throw new Error(`login failed: ${r.status} ${r.body}`);
  expect(r.tokens.refresh_token).toEqual(expect.any(String));
  const p = await verifier().verify(r.tokens.access_token);
  expect(p).toMatchObject({ clientId: dashboard, roles: ["admin"], games: "*", scopes: ["api"] });
  expect(p.subject).toMatch(/^[0-9a-f-]{36}$/);
  const header = JSON.parse(Buffer.from(r.tokens.access_token.split(".")[0], "base64url").toString());
  expect(header).toMatchObject({ typ: "at+jwt", alg: "ES256" });
  const audit = await pool.query("SELECT action, details FROM audit_log WHERE actor = $1 ORDER BY seq DESC LIMIT 1", [`staff:${p.subject}`]);
  expect(audit.rows[0]).toMatchObject({ action: "staff.login", details: { amr: ["pwd", "otp"] } });
});

test("a wrong TOTP code is refused and audited; after 3 failures even the right one is throttled", async () => {
  const email = `admin-${run}@example.com`;
  const wrong = String((Number(currentTotp(totpSecret)) + 500_000) % 1_000_000).padStart(6, "0");
  const first = await signIn(email, wrong);
  expect(first.status).toBe(401);
  const failed = await pool.query("SELECT details FROM audit_log WHERE actor = $1 AND action = 'staff.login_failed' ORDER BY seq DESC LIMIT 1", [`staff:${email}`]);
  expect(failed.rows[0].details).toMatchObject({ reason: "bad_totp" });
  await signIn(email, wrong);
  await signIn(email, wrong);
  const throttled = await signIn(email, currentTotp(totpSecret));
  expect(throttled.status).toBe(429);
  expect(throttled.body).toMatch(/too many failed sign-ins/);
});

test("refresh tokens rotate; reusing a spent one revokes the whole grant", async () => {
  const r = await signIn(`analyst-${run}@example.com`);
  if (r.tokens === undefined) throw new Error(`login failed: ${r.status} ${r.body}`);
  const first = r.tokens.refresh_token as string;
  const next = await oidc.refreshTokenGrant(r.config, first);
  expect(next.refresh_token).toEqual(expect.any(String));
  expect(next.refresh_token).not.toBe(first);
  expect(await verifier().verify(next.access_token)).toMatchObject({ roles: ["analyst"], games: [game] });
  await expect(oidc.refreshTokenGrant(r.config, first)).rejects.toMatchObject({ error: "invalid_grant" });
  await expect(oidc.refreshTokenGrant(r.config, next.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("client credentials: a game server's token carries its role and game; the API refuses other games and lower roles", async () => {
  const { clientSecret } = await newClient(pool, { clientId: `server-${run}`, kind: "confidential", roles: ["service"], games: [game] }).then((c) => ({ clientSecret: c.secret as string }));
  const config = await oidc.discovery(new URL(users.issuer), `server-${run}`, undefined, oidc.ClientSecretBasic(clientSecret), insecure);
  const { access_token: token } = await oidc.clientCredentialsGrant(config, { scope: "api" });
  expect(await verifier().verify(token)).toMatchObject({ subject: `server-${run}`, clientId: `server-${run}`, roles: ["service"], games: [game] });
  const call = (path: string, t: string, body?: unknown) =>
    fetch(`${users.url}${path}`, {
      method: body === undefined ? "POST" : "PUT",
      headers: { authorization: `Bearer ${t}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  expect((await call(`/v1/players/${game}/p1/profile`, token, { displayName: "Ann" })).status).toBe(200);
  expect((await call(`/v1/players/other-game/p1/profile`, token, { displayName: "Ann" })).status).toBe(403);
  const analyst = await signIn(`analyst-${run}@example.com`);
  const denied = await call(`/v1/players/${game}/p1/erase`, analyst.tokens?.access_token as string);
  expect(denied.status).toBe(403);
  expect(await denied.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("service, support, admin") });
});

test("refusals: wrong audience, expired, unknown client secret", async () => {
  const { secret } = await newClient(pool, { clientId: `aud-${run}`, kind: "confidential", roles: ["service"], games: "*" });
  const config = await oidc.discovery(new URL(users.issuer), `aud-${run}`, undefined, oidc.ClientSecretBasic(secret as string), insecure);
  const { access_token: token } = await oidc.clientCredentialsGrant(config, { scope: "api" });
  await expect(verifier("another-api").verify(token)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('"aud"') });
  const expired = await forgeWithServiceKey(users, { client_id: `aud-${run}`, sub: `aud-${run}`, roles: ["admin"], games: "*" }, -120);
  const r = await fetch(`${users.url}/v1/players/${game}/p1/export`, { method: "POST", headers: { authorization: `Bearer ${expired}` } });
  expect(r.status).toBe(401);
  expect(await r.json()).toMatchObject({ message: "token expired" });
  const bad = await oidc.discovery(new URL(users.issuer), `aud-${run}`, undefined, oidc.ClientSecretBasic("not-the-secret"), insecure);
  const refused = await oidc.clientCredentialsGrant(bad, { scope: "api" }).then(
    () => undefined,
    (err: { cause?: { parameters?: { error?: string } }[] }) => err.cause?.[0]?.parameters?.error,
  );
  expect(refused).toBe("invalid_client");
});

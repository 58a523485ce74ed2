// Token verification against a real issuer over HTTP (discovery + JWKS), as every API does it.
import { authorize, AuthError, createTokenVerifier, principalFromClaims, type TokenVerifier } from "../../../apps/shared/auth";
import { type DevIssuer, startDevIssuer } from "../../../local/dev-issuer";

let issuer: DevIssuer;
let other: DevIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  [issuer, other] = await Promise.all([startDevIssuer(), startDevIssuer()]);
  verifier = createTokenVerifier({ issuer: issuer.issuer, audience: "gamemetrics-api", jwksCooldownSec: 0 });
});
afterAll(async () => Promise.all([issuer.close(), other.close()]));

const refusal = async (p: Promise<unknown>): Promise<{ status: number; message: string }> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(err)}`);
  return { status: err.status, message: err.message };
};

describe("bearer tokens", () => {
  it("accepts the issuer's token and reads roles, games and client", async () => {
    const token = await issuer.mint({ subject: "staff-1", clientId: "dashboard", roles: ["analyst"], games: ["g1", "g2"], scope: "openid analytics" });
    const p = await verifier.authenticate(`Bearer ${token}`);
    expect(p).toMatchObject({ subject: "staff-1", clientId: "dashboard", roles: ["analyst"], games: ["g1", "g2"], scopes: ["openid", "analytics"] });
    expect(p.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("refuses a missing or malformed header", async () => {
    expect(await refusal(verifier.authenticate(undefined))).toMatchObject({ status: 401, message: expect.stringContaining("missing Authorization") });
    expect(await refusal(verifier.authenticate("Basic dXNlcjpwYXNz"))).toMatchObject({ status: 401, message: expect.stringContaining("malformed") });
  });

  it("refuses an expired token, another issuer's token and another audience", async () => {
    const expired = await issuer.mint({ roles: ["admin"], games: "*", ttlSec: -120 });
    expect(await refusal(verifier.verify(expired))).toEqual({ status: 401, message: "token expired" });
    const foreign = await other.mint({ roles: ["admin"], games: "*" });
    expect((await refusal(verifier.verify(foreign))).status).toBe(401);
    const otherAudience = await issuer.mint({ roles: ["admin"], games: "*", audience: "someone-else" });
    expect(await refusal(verifier.verify(otherAudience))).toMatchObject({ status: 401, message: expect.stringContaining('"aud"') });
  });

  it("refuses a tampered token", async () => {
    const token = await issuer.mint({ roles: ["analyst"], games: ["g1"] });
    const [h, , s] = token.split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "x", client_id: "x", roles: ["admin"], games: "*", exp: 9_999_999_999, iss: issuer.issuer, aud: "gamemetrics-api" })).toString("base64url");
    expect((await refusal(verifier.verify(`${h}.${payload}.${s}`))).status).toBe(401);
  });

  it("keeps verifying across a signing-key rotation: old tokens until they expire, new ones at once", async () => {
    const before = await issuer.mint({ roles: ["service"], games: "*" });
    await verifier.verify(before);
    await issuer.rotate();
    const after = await issuer.mint({ roles: ["service"], games: "*" });
    expect(JSON.parse(Buffer.from(after.split(".")[0], "base64url").toString()).kid).not.toBe(JSON.parse(Buffer.from(before.split(".")[0], "base64url").toString()).kid);
    await expect(verifier.verify(after)).resolves.toMatchObject({ roles: ["service"] });
    await expect(verifier.verify(before)).resolves.toMatchObject({ roles: ["service"] });
  });
});

describe("authorization", () => {
  const claims = { sub: "s", client_id: "c", exp: 2_000_000_000 };
  it("403 when the role is too low or the game is not granted", () => {
    const analyst = principalFromClaims({ ...claims, roles: ["analyst"], games: ["g1"] });
    expect(() => authorize(analyst, { roles: ["analyst", "admin"], gameId: "g1" })).not.toThrow();
    expect(() => authorize(analyst, { roles: ["admin"] })).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining("admin") }));
    expect(() => authorize(analyst, { roles: ["analyst"], gameId: "g2" })).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('"g2"') }));
    const admin = principalFromClaims({ ...claims, roles: ["admin"], games: "*" });
    expect(() => authorize(admin, { roles: ["admin"], gameId: "any-game" })).not.toThrow();
  });

  it("refuses claims of the wrong shape instead of guessing", () => {
    expect(() => principalFromClaims({ ...claims, roles: ["root"] })).toThrow(/unknown roles root/);
    expect(() => principalFromClaims({ ...claims, games: "g1" })).toThrow(/"games" must be an array/);
    expect(() => principalFromClaims({ sub: "s", exp: 1 })).toThrow(/client_id/);
  });
});

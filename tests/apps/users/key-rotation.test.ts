// Signing-key rotation without downtime: during a rolling update an old pod (generation 1: keys 0, 1, 2)
// and a new pod (generation 2: keys 1, 2, 3) serve side by side. A verifier that fetched either pod's
// JWKS accepts the other pod's tokens, because each key is published one generation before it signs
// and one after it stops.
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Pool } from "pg";
import { createTokenVerifier } from "../../../apps/shared/auth";
import { newClient, startUsers, testPool, type Users } from "./support";

let pool: Pool;
let oldPod: Users;
let newPod: Users;
let secret: string;
const clientId = `rotation-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  pool = testPool();
  secret = (await newClient(pool, { clientId, kind: "confidential", roles: ["service"], games: "*" })).secret as string;
  oldPod = await startUsers("rotation-old", { generation: 1 });
  newPod = await startUsers("rotation-new", { generation: 2, pems: oldPod.keys.pems, issuer: oldPod.issuer });
});
afterAll(async () => {
  await Promise.all([oldPod?.service.stop(), newPod?.service.stop()]);
  await pool?.end();
});

async function tokenFrom(pod: Users): Promise<string> {
  const server = new oidc.Configuration({ issuer: pod.issuer, token_endpoint: `${pod.url}/oauth/token` }, clientId, undefined, oidc.ClientSecretBasic(secret));
  oidc.allowInsecureRequests(server);
  return (await oidc.clientCredentialsGrant(server, { scope: "api" })).access_token;
}

const kidOf = (t: string): string => JSON.parse(Buffer.from(t.split(".")[0], "base64url").toString()).kid;

test("each pod signs with its generation and every token verifies against either pod's JWKS", async () => {
  const [oldToken, newToken] = [await tokenFrom(oldPod), await tokenFrom(newPod)];
  expect(kidOf(oldToken)).toMatch(/^gm-1-/);
  expect(kidOf(newToken)).toMatch(/^gm-2-/);
  for (const pod of [oldPod, newPod]) {
    // A verifier that read this pod's JWKS once, and may not refetch (cooldown): no unknown kid may reach it.
    const v = createTokenVerifier({ issuer: oldPod.issuer, audience: "gamemetrics-api", jwksUrl: `${pod.url}/oauth/jwks`, jwksCooldownSec: 3600 });
    for (const t of [oldToken, newToken]) await expect(v.verify(t)).resolves.toMatchObject({ clientId });
  }
});

test("each pod publishes exactly the previous, current and next generation", async () => {
  const keys = async (pod: Users) => ((await (await fetch(`${pod.url}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid.split("-")[1]).sort();
  expect(await keys(oldPod)).toEqual(["0", "1", "2"]);
  expect(await keys(newPod)).toEqual(["1", "2", "3"]);
});

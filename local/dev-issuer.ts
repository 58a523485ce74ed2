// A development token issuer for the local platform and the tests: real ES256 keys, a real OIDC
// discovery document and JWKS over HTTP, tokens in the same RFC 9068 shape as the users service
// issues, so services verify them through the same apps/shared/auth code as in the cluster.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { ALL_GAMES, CLAIMS, DEFAULT_AUDIENCE, type Role } from "../apps/shared/auth";

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export interface TokenRequest {
  readonly subject?: string;
  readonly clientId?: string;
  readonly roles: readonly Role[];
  readonly games: typeof ALL_GAMES | readonly string[];
  readonly audience?: string;
  /** Lifetime in seconds; negative gives an already expired token. */
  readonly ttlSec?: number;
  readonly scope?: string;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  mint(req: TokenRequest): Promise<string>;
  /** Starts signing with a new key; old keys stay in the JWKS, as the real issuer keeps them until their tokens expire. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

interface Key {
  readonly kid: string;
  readonly privateKey: SigningKey;
  readonly jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

/** Listens on 127.0.0.1:`port` (0: any free port). */
export async function startDevIssuer(port = 0): Promise<DevIssuer> {
  const keys: Key[] = [await newKey()];
  let issuer = "";
  const server: Server = createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/.well-known/openid-configuration") return json({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ["ES256"] });
    if (req.url === "/jwks") return json({ keys: keys.map((k) => k.jwk) });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("dev issuer: no TCP address");
  issuer = `http://127.0.0.1:${address.port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    mint: async (r) => {
      const key = keys[keys.length - 1];
      const now = Math.floor(Date.now() / 1000);
      const clientId = r.clientId ?? "dev-dashboard";
      return new SignJWT({ client_id: clientId, [CLAIMS.roles]: [...r.roles], [CLAIMS.games]: r.games === ALL_GAMES ? ALL_GAMES : [...r.games], ...(r.scope === undefined ? {} : { scope: r.scope }) })
        .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
        .setIssuer(issuer)
        .setAudience(r.audience ?? DEFAULT_AUDIENCE)
        .setSubject(r.subject ?? clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + (r.ttlSec ?? 3600))
        .setJti(randomUUID())
        .sign(key.privateKey);
    },
    rotate: async () => void keys.push(await newKey()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

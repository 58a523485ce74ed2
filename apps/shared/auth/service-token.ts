// Service-to-service calls: a client-credentials bearer token from the users service's token endpoint,
// reused until shortly before it expires. The users service's GDPR job, the analytics API (calling
// recommendations) and the local platform's dev client all get theirs here.
import { ConfigError, int, str } from "../config";

/** The resource indicator (RFC 8707) of the platform's APIs; tokens for it carry `aud` = the configured audience. */
export const API_RESOURCE = "urn:gamemetrics:api";
export const API_SCOPE = "api";

export interface ServiceClient {
  /** The issuer's token endpoint, reached inside the cluster. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: () => Promise<string>;
  /** How long one token request may take. */
  readonly timeoutMs?: number;
}

export function serviceTokenSource(c: ServiceClient): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached !== undefined && cached.until > Date.now()) return cached.token;
    const secret = await c.clientSecret();
    const res = await fetch(c.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${c.clientId}:${secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: API_SCOPE, resource: API_RESOURCE }).toString(),
      signal: AbortSignal.timeout(c.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`service token from ${c.tokenUrl}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, until: Date.now() + (body.expires_in - 60) * 1000 };
    return body.access_token;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** AUTH_TOKEN_URL and AUTH_CLIENT_SECRET (both required), AUTH_CLIENT_ID (default `defaultClientId`), AUTH_TOKEN_TIMEOUT_MS. */
export function loadServiceClient(env: Env, defaultClientId: string, why: string): ServiceClient {
  const tokenUrl = str(env, "AUTH_TOKEN_URL", "");
  if (!/^https?:\/\/\S+$/.test(tokenUrl)) throw new ConfigError(`config AUTH_TOKEN_URL="${tokenUrl}" is invalid: required ${why}, the users service's token endpoint (e.g. http://users.gamemetrics.svc.cluster.local:8080/oauth/token)`);
  const secret = str(env, "AUTH_CLIENT_SECRET", "");
  if (secret === "") throw new ConfigError(`config AUTH_CLIENT_SECRET is missing: required ${why}, this service's client secret (a Secret in the cluster)`);
  return { tokenUrl, clientId: str(env, "AUTH_CLIENT_ID", defaultClientId), clientSecret: async () => secret, timeoutMs: int(env, "AUTH_TOKEN_TIMEOUT_MS", 5000, 100, 60_000) };
}

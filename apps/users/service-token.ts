// The GDPR job's bearer token for other services' stores: client credentials of the service's own
// client (its secret derived like every client's), asked from its own token endpoint and reused
// until shortly before it expires.
import { RUNNER_CLIENT_ID } from "./clients";
import { API_RESOURCE, API_SCOPE } from "./oidc/provider";

export function serviceTokenSource(tokenUrl: string, clientSecret: () => Promise<string>): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached !== undefined && cached.until > Date.now()) return cached.token;
    const secret = await clientSecret();
    const res = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${RUNNER_CLIENT_ID}:${secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: API_SCOPE, resource: API_RESOURCE }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`service token from ${tokenUrl}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    cached = { token: body.access_token, until: Date.now() + (body.expires_in - 60) * 1000 };
    return body.access_token;
  };
}

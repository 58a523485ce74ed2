// Verifies the platform's bearer tokens: signature against the issuer's JWKS (fetched through OIDC
// discovery, cached, refetched when an unknown key id appears, so key rotation needs no restart),
// issuer, audience, expiry and the RFC 9068 `at+jwt` type. Every API but ingestion uses this one module.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { AuthError, bearerToken, principalFromClaims, type Principal } from "./claims";

export interface VerifierOptions {
  /** The issuer URL exactly as it appears in the tokens' `iss` claim. */
  readonly issuer: string;
  /** The audience the API accepts (`aud`). */
  readonly audience: string;
  /** JWKS URL; by default taken from the issuer's discovery document. */
  readonly jwksUrl?: string;
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  readonly clockToleranceSec?: number;
  /** Least seconds between two JWKS fetches, even for an unknown key id (jose's default: 30). */
  readonly jwksCooldownSec?: number;
}

export interface TokenVerifier {
  /** Verifies an `Authorization` header value; throws AuthError (401) with the reason. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  verify(token: string): Promise<Principal>;
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`OIDC discovery at ${url} answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (doc.issuer !== issuer) throw new Error(`OIDC discovery at ${url} names issuer ${String(doc.issuer)}, expected ${issuer}`);
  if (typeof doc.jwks_uri !== "string") throw new Error(`OIDC discovery at ${url} has no jwks_uri`);
  return doc.jwks_uri;
}

/** A jose failure as the 401 a caller can act on; an unreachable issuer is not the caller's fault. */
function toAuthError(err: unknown): Error {
  if (err instanceof AuthError) return err;
  if (err instanceof errors.JWTExpired) return new AuthError(401, "unauthenticated", "token expired");
  if (err instanceof errors.JWTClaimValidationFailed) return new AuthError(401, "unauthenticated", `token claim "${err.claim}" is invalid: ${err.reason}`);
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError(401, "unauthenticated", "token signature does not verify against the issuer's keys");
  }
  if (err instanceof errors.JOSEError) return new AuthError(401, "unauthenticated", `token rejected: ${err.message}`);
  return err as Error;
}

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const getKeys = (): Promise<JWTVerifyGetKey> => {
    keys ??= (opts.jwksUrl !== undefined ? Promise.resolve(opts.jwksUrl) : discoverJwksUrl(opts.issuer)).then((u) =>
      createRemoteJWKSet(new URL(u), { cooldownDuration: (opts.jwksCooldownSec ?? 30) * 1000 }),
    );
    keys.catch(() => (keys = undefined)); // retry discovery on the next request
    return keys;
  };
  const verify = async (token: string): Promise<Principal> => {
    try {
      const { payload } = await jwtVerify(token, await getKeys(), {
        issuer: opts.issuer,
        audience: opts.audience,
        typ: "at+jwt",
        algorithms: ["ES256", "RS256", "PS256", "EdDSA"],
        clockTolerance: opts.clockToleranceSec ?? 30,
        requiredClaims: ["exp", "sub", "client_id"],
      });
      return principalFromClaims(payload);
    } catch (err) {
      throw toAuthError(err);
    }
  };
  return { verify, authenticate: async (header) => verify(bearerToken(header)) };
}

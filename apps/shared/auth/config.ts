import { ConfigError, str } from "../config";
import type { VerifierOptions } from "./verifier";

type Env = Readonly<Record<string, string | undefined>>;

/** AUTH_ISSUER (required), AUTH_AUDIENCE (default "gamemetrics-api"), AUTH_JWKS_URL (default: discovery). */
export function loadAuthConfig(env: Env = process.env): VerifierOptions {
  const issuer = str(env, "AUTH_ISSUER", "");
  if (issuer === "") throw new ConfigError("config AUTH_ISSUER is missing: required, the users service's issuer URL (e.g. https://api.example.com/oauth)");
  if (!/^https?:\/\/[^\s]+$/.test(issuer)) throw new ConfigError(`config AUTH_ISSUER="${issuer}" is invalid: expected an http(s) URL`);
  const jwksUrl = str(env, "AUTH_JWKS_URL", "");
  return { issuer, audience: str(env, "AUTH_AUDIENCE", DEFAULT_AUDIENCE), ...(jwksUrl === "" ? {} : { jwksUrl }) };
}

/** The audience of access tokens for the platform's APIs (one resource server, several services). */
export const DEFAULT_AUDIENCE = "gamemetrics-api";

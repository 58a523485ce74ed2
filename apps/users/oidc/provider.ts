// The platform's OAuth 2.0 / OpenID Connect provider (oidc-provider, OpenID Certified): authorization
// code + PKCE for staff, client credentials for game servers and services, rotating refresh tokens,
// RFC 9068 JWT access tokens for the one resource server (the platform's APIs) whose `roles` and
// `games` claims apps/shared/auth reads.
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Pool } from "pg";
import { ALL_GAMES, CLAIMS, type Role } from "../../shared/auth";
import { API_RESOURCE, API_SCOPE } from "../../shared/auth/service-token";
import { clientMetadata, findClient } from "../clients";
import type { SigningKeySet } from "../keys";
import type { ServiceSecrets } from "../secrets";
import { findStaffById } from "../staff";
import { postgresAdapter } from "./adapter";

/** Where the provider is mounted in the service; the issuer URL ends with it. */
export const OIDC_PATH = "/oauth";
export const INTERACTION_PATH = `${OIDC_PATH}/interaction`;

export interface ProviderOptions {
  readonly pool: Pool;
  readonly secrets: ServiceSecrets;
  readonly keys: SigningKeySet;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSec: number;
  readonly refreshTokenTtlSec: number;
  readonly sessionTtlSec: number;
}

type Grants = { roles: readonly Role[]; games: typeof ALL_GAMES | readonly string[] };

/** Roles and games of a token: the staff account's for user tokens, the client's for client credentials. */
async function grantsOf(o: ProviderOptions, accountId: string | undefined, clientId: string): Promise<Grants> {
  if (accountId !== undefined) {
    const account = await findStaffById(o.pool, accountId);
    if (account === undefined || account.disabled) throw new errors.InvalidGrant("the account is disabled or gone");
    return account;
  }
  const client = await findClient(o.pool, clientId);
  if (client === undefined) throw new errors.InvalidClient("the client is revoked or gone");
  return client;
}

export function buildProvider(o: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: postgresAdapter(o.pool, async (id) => {
      const c = await findClient(o.pool, id);
      return c === undefined ? undefined : { ...clientMetadata(c, o.secrets), id_token_signed_response_alg: "ES256" };
    }),
    clients: [],
    jwks: o.keys.jwks as Configuration["jwks"],
    cookies: { keys: o.secrets.cookieKeys },
    findAccount: async (_ctx, id) => {
      const account = await findStaffById(o.pool, id);
      if (account === undefined || account.disabled) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email }) };
    },
    claims: { openid: ["sub"], email: ["email"] },
    scopes: ["openid", "offline_access", "email", API_SCOPE],
    clientDefaults: { id_token_signed_response_alg: "ES256" },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => API_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`unknown resource ${resource}; this issuer serves ${API_RESOURCE}`);
          return {
            scope: API_SCOPE,
            audience: o.audience,
            accessTokenTTL: o.accessTokenTtlSec,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "ES256", kid: o.keys.currentKid } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      const g = await grantsOf(o, "accountId" in token ? (token.accountId as string | undefined) : undefined, token.clientId as string);
      return { [CLAIMS.roles]: [...g.roles], [CLAIMS.games]: g.games === ALL_GAMES ? ALL_GAMES : [...g.games] };
    },
    pkce: { required: () => true },
    // Every use of a refresh token returns a new one; reusing a spent one revokes the whole grant.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: o.accessTokenTtlSec,
      ClientCredentials: o.accessTokenTtlSec,
      AuthorizationCode: 60,
      IdToken: o.accessTokenTtlSec,
      Interaction: 600,
      RefreshToken: o.refreshTokenTtlSec,
      Grant: o.refreshTokenTtlSec,
      Session: o.sessionTtlSec,
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = "json";
      ctx.body = out;
    },
  };
  const provider = new Provider(o.issuer, configuration);
  // Behind the ALB: trust X-Forwarded-Proto/For so URLs are https and throttling sees the client address.
  provider.proxy = true;
  return provider;
}

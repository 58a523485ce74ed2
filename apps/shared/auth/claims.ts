// The platform's access-token claims (RFC 9068 JWT access tokens, issued by the users service):
// who the caller is, which roles it holds and which games it may touch. Pure: no I/O here.

export const ROLES = ["admin", "analyst", "support", "service"] as const;
export type Role = (typeof ROLES)[number];

/** Claim names the issuer writes and every API reads. `games` holds game ids, or "*" for all games. */
export const CLAIMS = { roles: "roles", games: "games" } as const;
export const ALL_GAMES = "*";

export interface Principal {
  /** `sub`: a staff account id, or the client id for client-credentials tokens. */
  readonly subject: string;
  /** `client_id`: the OAuth client the token was issued to. */
  readonly clientId: string;
  readonly roles: readonly Role[];
  readonly games: typeof ALL_GAMES | readonly string[];
  readonly scopes: readonly string[];
  readonly tokenId?: string;
  readonly expiresAt: Date;
}

export class AuthError extends Error {
  constructor(
    /** 401: no or unusable credentials; 403: valid credentials without the right. */
    readonly status: 401 | 403,
    readonly code: "unauthenticated" | "forbidden",
    message: string,
  ) {
    super(message);
  }
}

const unauthenticated = (why: string) => new AuthError(401, "unauthenticated", why);

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header === "") throw unauthenticated("missing Authorization header: send 'Authorization: Bearer <access token>'");
  const m = /^Bearer ([A-Za-z0-9_.~+/-]+=*)$/i.exec(header.trim());
  if (m === null) throw unauthenticated("malformed Authorization header: expected 'Bearer <access token>'");
  return m[1];
}

function stringList(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) return value;
  throw unauthenticated(`token claim "${claim}" must be an array of strings`);
}

/** Maps verified JWT claims to a principal; refuses claims of the wrong shape rather than guessing. */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal {
  const { sub, client_id: clientId, exp, jti, scope } = claims;
  if (typeof sub !== "string" || sub === "") throw unauthenticated('token has no "sub" claim');
  if (typeof clientId !== "string" || clientId === "") throw unauthenticated('token has no "client_id" claim (RFC 9068)');
  if (typeof exp !== "number") throw unauthenticated('token has no "exp" claim');
  const roles = stringList(claims[CLAIMS.roles], CLAIMS.roles);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw unauthenticated(`token claim "roles" has unknown roles ${unknown.join(", ")}; allowed: ${ROLES.join(", ")}`);
  const rawGames = claims[CLAIMS.games];
  const games = rawGames === ALL_GAMES ? ALL_GAMES : stringList(rawGames, CLAIMS.games);
  return {
    subject: sub,
    clientId,
    roles: roles as Role[],
    games,
    scopes: typeof scope === "string" && scope !== "" ? scope.split(" ") : [],
    tokenId: typeof jti === "string" ? jti : undefined,
    expiresAt: new Date(exp * 1000),
  };
}

export function hasRole(p: Principal, ...roles: readonly Role[]): boolean {
  return p.roles.some((r) => roles.includes(r));
}

export function mayAccessGame(p: Principal, gameId: string): boolean {
  return p.games === ALL_GAMES || p.games.includes(gameId);
}

/** Throws 403 unless the principal holds one of the roles and may touch the game (when one is named). */
export function authorize(p: Principal, need: { readonly roles: readonly Role[]; readonly gameId?: string }): void {
  if (!hasRole(p, ...need.roles)) {
    throw new AuthError(403, "forbidden", `this needs one of the roles ${need.roles.join(", ")}; the token has ${p.roles.length > 0 ? p.roles.join(", ") : "none"}`);
  }
  if (need.gameId !== undefined && !mayAccessGame(p, need.gameId)) {
    throw new AuthError(403, "forbidden", `the token does not grant access to game "${need.gameId}"`);
  }
}

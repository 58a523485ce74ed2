// Sign-in with the users service's OIDC issuer: authorization code + PKCE (oauth4webapi, a certified,
// dependency-free client made for browsers). Tokens live in this module's memory only, never in
// localStorage; the access token is renewed with the rotating refresh token before it expires. Only
// the PKCE verifier and state cross the redirect, in sessionStorage, and are removed on return.
import * as oauth from "oauth4webapi";
import type { AppConfig } from "./config";

export type Role = "admin" | "analyst" | "support" | "service";

export interface Identity {
  readonly email: string;
  readonly roles: readonly Role[];
  /** Game ids, or "*" for every game. */
  readonly games: "*" | readonly string[];
}

const PENDING = "gm.dashboard.pending";
const SCOPE = "openid offline_access email api";

interface Tokens {
  access: string;
  refresh: string | undefined;
  idToken: string | undefined;
  expiresAt: number;
}

const claimsOf = (jwt: string): Record<string, unknown> => {
  const part = jwt.split(".")[1] ?? "";
  return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
};

export class Session {
  private tokens: Tokens | undefined;
  private renewing: Promise<void> | undefined;
  private constructor(
    private readonly as: oauth.AuthorizationServer,
    private readonly client: oauth.Client,
    private readonly redirectUri: string,
    private readonly http: { [oauth.allowInsecureRequests]?: boolean },
  ) {}

  static async discover(config: AppConfig): Promise<Session> {
    const issuer = new URL(config.issuer);
    // A local issuer runs on plain http; oauth4webapi refuses that unless told.
    const http = issuer.protocol === "http:" ? { [oauth.allowInsecureRequests]: true } : {};
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...http }));
    return new Session(as, { client_id: config.clientId, id_token_signed_response_alg: "ES256" }, `${location.origin}${config.basePath}/callback`, http);
  }

  get signedIn(): boolean {
    return this.tokens !== undefined;
  }

  /** Sends the browser to the issuer; `returnTo` is where to land after signing in. */
  async signIn(returnTo: string): Promise<never> {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
    const url = new URL(this.as.authorization_endpoint ?? "");
    const params = {
      client_id: this.client.client_id,
      redirect_uri: this.redirectUri,
      response_type: "code",
      scope: SCOPE,
      // oidc-provider issues a refresh token (offline_access) only when consent is asked for; the issuer grants it without a prompt.
      prompt: "consent",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    location.assign(url.href);
    return new Promise<never>(() => undefined);
  }

  /** On the redirect URI: trades the code for tokens; returns where the user was going. */
  async completeSignIn(current: URL): Promise<string> {
    const pending = sessionStorage.getItem(PENDING);
    sessionStorage.removeItem(PENDING);
    if (pending === null) throw new Error("this sign-in was not started here (or was already used); sign in again");
    const { verifier, state, returnTo } = JSON.parse(pending) as { verifier: string; state: string; returnTo: string };
    const params = oauth.validateAuthResponse(this.as, this.client, current, state);
    const response = await oauth.authorizationCodeGrantRequest(this.as, this.client, oauth.None(), params, this.redirectUri, verifier, this.http);
    this.keep(await oauth.processAuthorizationCodeResponse(this.as, this.client, response));
    return returnTo;
  }

  /** A valid access token, renewed through the issuer when it is about to expire. */
  async accessToken(): Promise<string> {
    const t = this.tokens;
    if (t === undefined) throw new Error("not signed in");
    if (Date.now() < t.expiresAt - 30_000) return t.access;
    if (t.refresh === undefined) throw new Error("the session expired; sign in again");
    this.renewing ??= this.renew(t.refresh).finally(() => (this.renewing = undefined));
    await this.renewing;
    return this.accessToken();
  }

  private async renew(refresh: string): Promise<void> {
    const response = await oauth.refreshTokenGrantRequest(this.as, this.client, oauth.None(), refresh, this.http);
    this.keep(await oauth.processRefreshTokenResponse(this.as, this.client, response));
  }

  private keep(r: oauth.TokenEndpointResponse): void {
    this.tokens = { access: r.access_token, refresh: r.refresh_token, idToken: r.id_token ?? this.tokens?.idToken, expiresAt: Date.now() + (r.expires_in ?? 60) * 1000 };
  }

  identity(): Identity {
    if (this.tokens === undefined) throw new Error("not signed in");
    const at = claimsOf(this.tokens.access);
    const id = this.tokens.idToken === undefined ? {} : claimsOf(this.tokens.idToken);
    const games = at["games"];
    return {
      email: typeof id["email"] === "string" ? id["email"] : String(at["sub"] ?? ""),
      roles: Array.isArray(at["roles"]) ? (at["roles"] as Role[]) : [],
      games: games === "*" ? "*" : Array.isArray(games) ? (games as string[]) : [],
    };
  }

  /** Revokes the refresh token, forgets every token and ends the issuer's session (its sign-out page). */
  async signOut(): Promise<never> {
    const t = this.tokens;
    this.tokens = undefined;
    if (t?.refresh !== undefined) await oauth.revocationRequest(this.as, this.client, oauth.None(), t.refresh, this.http).catch(() => undefined);
    const end = new URL(this.as.end_session_endpoint ?? this.as.issuer);
    end.searchParams.set("client_id", this.client.client_id);
    location.assign(end.href);
    return new Promise<never>(() => undefined);
  }
}

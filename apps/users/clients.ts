// OAuth clients: game servers and services (confidential, client credentials) and the dashboard
// (public, authorization code + PKCE, refresh tokens). A confidential client's secret is never
// stored: it is derived from the service secret and the client's secret_version, shown once.
import type { Pool, PoolClient } from "pg";
import { appendAudit } from "../shared/audit";
import { ALL_GAMES, type Role } from "../shared/auth";
import type { ServiceSecrets } from "./secrets";

export type ClientKind = "confidential" | "public";

export interface ClientRecord {
  readonly clientId: string;
  readonly description: string;
  readonly kind: ClientKind;
  readonly redirectUris: readonly string[];
  /** What client-credentials tokens of this client carry (user tokens carry the account's). */
  readonly roles: readonly Role[];
  readonly games: typeof ALL_GAMES | readonly string[];
  readonly secretVersion: number;
}

export interface NewClient {
  readonly clientId: string;
  readonly description?: string;
  readonly kind: ClientKind;
  readonly redirectUris?: readonly string[];
  readonly roles?: readonly Role[];
  readonly games?: typeof ALL_GAMES | readonly string[];
}

interface Row {
  client_id: string;
  description: string;
  kind: ClientKind;
  redirect_uris: string[];
  roles: Role[];
  games: string[] | null;
  secret_version: number;
}

const toRecord = (r: Row): ClientRecord => ({
  clientId: r.client_id,
  description: r.description,
  kind: r.kind,
  redirectUris: r.redirect_uris,
  roles: r.roles,
  games: r.games === null ? ALL_GAMES : r.games,
  secretVersion: r.secret_version,
});

export const GRANTS: Record<ClientKind, string[]> = { confidential: ["client_credentials"], public: ["authorization_code", "refresh_token"] };

/** The metadata oidc-provider validates and serves the client by. */
export function clientMetadata(c: ClientRecord, secrets: ServiceSecrets): Record<string, unknown> {
  if (c.kind === "public") {
    return { client_id: c.clientId, token_endpoint_auth_method: "none", grant_types: GRANTS.public, response_types: ["code"], redirect_uris: [...c.redirectUris] };
  }
  return {
    client_id: c.clientId,
    client_secret: secrets.clientSecret(c.clientId, c.secretVersion),
    token_endpoint_auth_method: "client_secret_basic",
    grant_types: GRANTS.confidential,
    response_types: [],
    redirect_uris: [],
  };
}

export async function findClient(pool: Pool, clientId: string): Promise<ClientRecord | undefined> {
  const { rows } = await pool.query<Row>("SELECT * FROM oauth_clients WHERE client_id = $1 AND revoked_at IS NULL", [clientId]);
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/** Creates the client in the caller's transaction, audited; returns its secret (confidential clients) once. */
export async function createClient(client: PoolClient, secrets: ServiceSecrets, c: NewClient, actor: string): Promise<{ client: ClientRecord; secret?: string }> {
  if (c.kind === "public" && (c.redirectUris ?? []).length === 0) throw new Error("a public client needs at least one redirect URI");
  if (c.kind === "confidential" && (c.roles ?? []).length === 0) throw new Error("a confidential client needs at least one role for its tokens");
  const games = c.games ?? [];
  const { rows } = await client.query<Row>(
    `INSERT INTO oauth_clients (client_id, description, kind, grant_types, redirect_uris, roles, games, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [c.clientId, c.description ?? "", c.kind, GRANTS[c.kind], c.redirectUris ?? [], c.roles ?? [], games === ALL_GAMES ? null : games, actor],
  );
  const rec = toRecord(rows[0]);
  await appendAudit(client, {
    actor,
    action: "client.create",
    target: `client:${rec.clientId}`,
    details: { kind: rec.kind, roles: [...rec.roles], games: rec.games === ALL_GAMES ? ALL_GAMES : [...rec.games], redirectUris: [...rec.redirectUris] },
  });
  return { client: rec, ...(rec.kind === "confidential" ? { secret: secrets.clientSecret(rec.clientId, rec.secretVersion) } : {}) };
}

/** A new secret for a confidential client; the old one stops working at once. */
export async function rotateClientSecret(client: PoolClient, secrets: ServiceSecrets, clientId: string, actor: string): Promise<string | undefined> {
  const { rows } = await client.query<Row>(
    "UPDATE oauth_clients SET secret_version = secret_version + 1 WHERE client_id = $1 AND kind = 'confidential' AND revoked_at IS NULL RETURNING *",
    [clientId],
  );
  if (rows[0] === undefined) return undefined;
  await appendAudit(client, { actor, action: "client.rotate_secret", target: `client:${clientId}`, details: { secretVersion: rows[0].secret_version } });
  return secrets.clientSecret(clientId, rows[0].secret_version);
}

export async function revokeClient(client: PoolClient, clientId: string, actor: string): Promise<boolean> {
  const r = await client.query("UPDATE oauth_clients SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL", [clientId]);
  if (r.rowCount !== 1) return false;
  // Tokens already issued stay valid until they expire (JWTs); refresh tokens die with the client.
  await client.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1", [clientId]);
  await appendAudit(client, { actor, action: "client.revoke", target: `client:${clientId}` });
  return true;
}

// The platform's own OAuth clients, made sure of on every start-up, so a deploy registers nothing by
// hand: the services' confidential clients (secrets derived from the service's secret key like every
// client's, so whoever holds that key, Pulumi in the cluster, hands each service its own) and the
// dashboard's public client with the redirect URIs the deploy names. Idempotent, and safe with several
// pods starting at once.
import type { Pool } from "pg";
import { appendAudit } from "../shared/audit";
import { ANALYTICS_CLIENT_ID } from "../shared/auth/platform-clients";
import { inTransaction } from "../shared/pg";
import { createClient, GRANTS } from "./clients";
import type { ServiceSecrets } from "./secrets";

/** The users service's own client (the GDPR job calling other services' stores). */
export const RUNNER_CLIENT_ID = "gamemetrics-users-runner";

const ACTOR = "service:users";

/** Role service, every game: each calls other services on behalf of the platform, never of one game. */
const SERVICE_CLIENTS: readonly { readonly clientId: string; readonly description: string }[] = [
  { clientId: RUNNER_CLIENT_ID, description: "the GDPR job of the users service" },
  { clientId: ANALYTICS_CLIENT_ID, description: "the analytics API, reading player recommendations" },
];

/** Creates the services' clients that do not exist yet; an existing one (rotated, revoked) is left as it is. */
export async function ensureServiceClients(pool: Pool): Promise<void> {
  for (const c of SERVICE_CLIENTS) {
    await pool.query(
      `INSERT INTO oauth_clients (client_id, description, kind, grant_types, roles, games, created_by)
       VALUES ($1, $2, 'confidential', $3, ARRAY['service'], NULL, $4)
       ON CONFLICT (client_id) DO NOTHING`,
      [c.clientId, c.description, GRANTS.confidential, ACTOR],
    );
  }
}

export interface PublicClientSeed {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

/** `revoked`: an operator revoked the client; a deploy does not bring it back. */
export type SeedOutcome = "created" | "updated" | "unchanged" | "revoked";

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * The dashboard's public client with exactly `redirectUris` (the deploy's edge host moves, the URIs
 * follow); created or changed in one audited transaction, unchanged on a re-deploy.
 */
export async function ensurePublicClient(pool: Pool, secrets: ServiceSecrets, seed: PublicClientSeed): Promise<SeedOutcome> {
  return inTransaction(pool, async (tx) => {
    // Pods starting together: one decides, the others then find it done.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`oauth_clients:${seed.clientId}`]);
    const { rows } = await tx.query<{ kind: string; redirect_uris: string[]; revoked: boolean }>(
      "SELECT kind, redirect_uris, revoked_at IS NOT NULL AS revoked FROM oauth_clients WHERE client_id = $1",
      [seed.clientId],
    );
    const found = rows[0];
    if (found === undefined) {
      await createClient(tx, secrets, { clientId: seed.clientId, kind: "public", redirectUris: seed.redirectUris, description: "the dashboard (registered on start-up)" }, ACTOR);
      return "created";
    }
    if (found.kind !== "public") throw new Error(`client ${seed.clientId} exists as a ${found.kind} client: the dashboard needs a public one; set USERS_DASHBOARD_CLIENT_ID to another id`);
    if (found.revoked) return "revoked";
    if (sameSet(found.redirect_uris, seed.redirectUris)) return "unchanged";
    await tx.query("UPDATE oauth_clients SET redirect_uris = $2 WHERE client_id = $1", [seed.clientId, seed.redirectUris]);
    await appendAudit(tx, { actor: ACTOR, action: "client.update_redirect_uris", target: `client:${seed.clientId}`, details: { from: found.redirect_uris, to: [...seed.redirectUris] } });
    return "updated";
  });
}

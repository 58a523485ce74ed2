// The users service on the local platform: fresh signing keys and secret key for this run, a dev
// admin (staff login) and a dev client (client credentials), and how to get a token.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Pool } from "pg";
import { inTransaction } from "../apps/shared/pg";
import { createClient } from "../apps/users/clients";
import { generateSigningKeys } from "../apps/users/keys";
import { serviceTokenSource } from "../apps/shared/auth/service-token";
import { deriveSecrets, type ServiceSecrets } from "../apps/users/secrets";
import { createStaff } from "../apps/users/staff";
import { opsConsumerGroups } from "../infra/workloads/env";
import { type RunningService, startService } from "./services";

export interface LocalUsers {
  readonly service: RunningService;
  readonly url: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly client: { readonly id: string; readonly secret: string };
  /** A token of the dev client (role admin, every game) for the local platform's own calls. */
  readonly token: () => Promise<string>;
  /** This run's secrets, to register more clients (never written to .local/env.json). */
  readonly secrets: ServiceSecrets;
}

/**
 * The operators' status settings where no Prometheus runs: the cluster's consumer groups
 * (infra/workloads/env.ts), and the ingestion pods' /metrics scraped by the service itself.
 */
export function localOpsEnv(ingestionUrls: readonly string[], scrapeIntervalMs = 15_000): Record<string, string> {
  return { OPS_CONSUMER_GROUPS: opsConsumerGroups(), OPS_INGESTION_METRICS_URLS: ingestionUrls.map((u) => `${u}/metrics`).join(","), OPS_SCRAPE_INTERVAL_MS: String(scrapeIntervalMs) };
}

/** `env`: the shared settings, the service's own Kafka principal (the DLQ browser, lag) and localOpsEnv. */
export async function startUsers(pool: Pool, env: Record<string, string>, port: number, logs: string): Promise<LocalUsers> {
  const url = `http://127.0.0.1:${port}`;
  const secretKey = randomBytes(32).toString("base64url");
  const service = await startService(
    "users",
    { ...env, PORT: String(port), USERS_ISSUER: `${url}/oauth`, USERS_SECRET_KEY: secretKey, USERS_SIGNING_KEYS: generateSigningKeys(1).doc, GDPR_SETTLE_MS: "10000" },
    `${url}/readyz`,
    join(logs, "users.log"),
  );
  const secrets = deriveSecrets(secretKey);
  const run = randomBytes(3).toString("hex");
  const admin = { email: `admin-${run}@dev.local`, password: randomBytes(12).toString("base64url") };
  await inTransaction(pool, (c) => createStaff(c, secrets, { ...admin, roles: ["admin"], games: "*", totp: false }, "local"));
  const created = await inTransaction(pool, (c) => createClient(c, secrets, { clientId: `dev-cli-${run}`, kind: "confidential", roles: ["admin"], games: "*", description: "npm run local" }, "local"));
  const client = { id: created.client.clientId, secret: created.secret as string };
  return { service, url, admin, client, secrets, token: serviceTokenSource({ tokenUrl: `${url}/oauth/token`, clientId: client.id, clientSecret: async () => client.secret }) };
}

export function usersLines(u: Omit<LocalUsers, "service" | "token" | "secrets">): string[] {
  return [
    `  users / OIDC    ${u.url}/oauth/.well-known/openid-configuration  (metrics ${u.url}/metrics)`,
    `  dev admin       ${u.admin.email} / ${u.admin.password}  (staff login)`,
    "  get a token (client credentials, role admin, every game):",
    `    TOKEN=$(curl -s -u ${u.client.id}:${u.client.secret} -d grant_type=client_credentials -d scope=api ${u.url}/oauth/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `    curl -s -X POST -H "authorization: Bearer $TOKEN" ${u.url}/v1/players/demo-game/p1/export`,
  ];
}

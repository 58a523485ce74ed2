// The dashboard on the local platform: the single-page app built with vite, its public OAuth client
// registered with the local issuer (redirect URI on DASHBOARD_PORT, 8087), and the server forwarding
// GraphQL to the local analytics API and the audit log to the local users service.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Pool } from "pg";
import { str } from "../apps/shared/config";
import { inTransaction } from "../apps/shared/pg";
import { createClient, findClient } from "../apps/users/clients";
import type { ServiceSecrets } from "../apps/users/secrets";
import { REPO_ROOT } from "./kafka-broker";
import { startService } from "./services";

export interface LocalDashboard {
  readonly url: string;
  readonly pid: number;
}

export const DASHBOARD_WEB_DIR = join(REPO_ROOT, "dist", "dashboard-web");

/** `npm run build:dashboard`, from this process. */
export async function buildDashboard(outDir: string = DASHBOARD_WEB_DIR): Promise<void> {
  await promisify(execFile)(join(REPO_ROOT, "node_modules", ".bin", "vite"), ["build", "--config", "apps/dashboard/web/vite.config.mts", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], { cwd: REPO_ROOT });
}

/** The dashboard's client for this port, registered once (the dev database outlives runs). */
async function ensureClient(pool: Pool, secrets: ServiceSecrets, url: string): Promise<string> {
  const port = new URL(url).port;
  const clientId = `dev-dashboard-${port}`;
  if ((await findClient(pool, clientId)) === undefined) {
    await inTransaction(pool, (c) => createClient(c, secrets, { clientId, kind: "public", redirectUris: [`${url}/dashboard/callback`], description: "npm run local: the dashboard" }, "local"));
  }
  return clientId;
}

export async function startLocalDashboard(o: { pool: Pool; secrets: ServiceSecrets; usersUrl: string; analyticsUrl: string; logs: string; log: (l: string) => void }): Promise<LocalDashboard> {
  const port = str(process.env, "DASHBOARD_PORT", "8087");
  const url = `http://127.0.0.1:${port}`;
  o.log("dashboard: building the single-page app (vite)...");
  await buildDashboard();
  const clientId = await ensureClient(o.pool, o.secrets, url);
  const env = { PORT: port, HOST: "127.0.0.1", DASHBOARD_ISSUER: `${o.usersUrl}/oauth`, DASHBOARD_CLIENT_ID: clientId, DASHBOARD_ANALYTICS_URL: o.analyticsUrl, DASHBOARD_USERS_URL: o.usersUrl, DASHBOARD_STATIC_DIR: DASHBOARD_WEB_DIR, LOG_LEVEL: "info" };
  const service = await startService("dashboard", env, `${url}/readyz`, join(o.logs, "dashboard.log"));
  o.log(`dashboard: ${url}/dashboard/ (pid ${service.pid}, logs ${join(o.logs, "dashboard.log")})`);
  return { url, pid: service.pid };
}

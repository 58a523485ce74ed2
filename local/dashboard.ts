// The dashboard on the local platform: the single-page app built with vite, and the server forwarding
// GraphQL to the local analytics API and the audit log to the local users service. Its public OAuth
// client is registered by the users service on start-up, as in the cluster (USERS_DASHBOARD_REDIRECT_URIS
// from dashboardRedirectUris(), on DASHBOARD_PORT, 8087).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { str } from "../apps/shared/config";
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

const dashboardPort = (): string => str(process.env, "DASHBOARD_PORT", "8087");
const localDashboardUrl = (): string => `http://127.0.0.1:${dashboardPort()}`;

/** What the users service registers the dashboard's client with (the dev database outlives runs: a new port replaces the old URI). */
export const dashboardRedirectUris = (): string => `${localDashboardUrl()}/dashboard/callback`;

export async function startLocalDashboard(o: { usersUrl: string; analyticsUrl: string; logs: string; log: (l: string) => void }): Promise<LocalDashboard> {
  const url = localDashboardUrl();
  o.log("dashboard: building the single-page app (vite)...");
  await buildDashboard();
  // DASHBOARD_CLIENT_ID: the default, the client the users service registered.
  const env = { PORT: dashboardPort(), HOST: "127.0.0.1", DASHBOARD_ISSUER: `${o.usersUrl}/oauth`, DASHBOARD_ANALYTICS_URL: o.analyticsUrl, DASHBOARD_USERS_URL: o.usersUrl, DASHBOARD_STATIC_DIR: DASHBOARD_WEB_DIR, LOG_LEVEL: "info" };
  const service = await startService("dashboard", env, `${url}/readyz`, join(o.logs, "dashboard.log"));
  o.log(`dashboard: ${url}/dashboard/ (pid ${service.pid}, logs ${join(o.logs, "dashboard.log")})`);
  return { url, pid: service.pid };
}

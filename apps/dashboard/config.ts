import { resolve } from "node:path";
import { DASHBOARD_CLIENT_ID } from "../shared/auth/platform-clients";
import { ConfigError, int, LOG_LEVELS, type LogLevel, oneOf, str } from "../shared/config";

export interface DashboardConfig {
  host: string;
  port: number;
  logLevel: LogLevel;
  /** The users service's issuer as browsers reach it (the public URL in the cluster). */
  issuer: string;
  /** The dashboard's public OAuth client (authorization code + PKCE). */
  clientId: string;
  /** The analytics API the server forwards /dashboard/graphql to (inside the cluster). */
  analyticsUrl: string;
  /** The users service (inside the cluster): only its operator APIs are forwarded (audit log, API keys, GDPR requests, DLQ and status). */
  usersUrl: string;
  /** The built single-page app (vite build output). */
  staticDir: string;
}

/** Everything the dashboard serves sits under this prefix: the edge sends it here beside ingestion's "/". */
export const BASE_PATH = "/dashboard";

const httpUrl = (env: NodeJS.ProcessEnv, key: string, why: string): string => {
  const v = str(env, key, "");
  if (v === "") throw new ConfigError(`config ${key} is missing: required, ${why}`);
  if (!/^https?:\/\/[^\s]+$/.test(v)) throw new ConfigError(`config ${key}="${v}" is invalid: expected an http(s) URL`);
  return v.replace(/\/+$/, "");
};

export function loadDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  return {
    host: str(env, "HOST", "127.0.0.1"),
    port: int(env, "PORT", 8087, 0, 65_535),
    logLevel: oneOf(env, "LOG_LEVEL", "info", LOG_LEVELS),
    issuer: httpUrl(env, "DASHBOARD_ISSUER", "the users service's issuer URL browsers sign in with (e.g. https://api.example.com/oauth)"),
    clientId: str(env, "DASHBOARD_CLIENT_ID", DASHBOARD_CLIENT_ID),
    analyticsUrl: httpUrl(env, "DASHBOARD_ANALYTICS_URL", "the analytics API's URL (e.g. http://analytics.apps.svc.cluster.local:8083)"),
    usersUrl: httpUrl(env, "DASHBOARD_USERS_URL", "the users service's URL inside the cluster (e.g. http://users.apps.svc.cluster.local:8080)"),
    // The vite build output; the image holds it at /app/dist/dashboard-web, the working directory being /app.
    staticDir: resolve(str(env, "DASHBOARD_STATIC_DIR", "dist/dashboard-web")),
  };
}

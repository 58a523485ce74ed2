import { DEFAULT_AUDIENCE } from "../shared/auth";
import { DASHBOARD_CLIENT_ID } from "../shared/auth/platform-clients";
import { CommonConfig, ConfigError, int, list, loadCommonConfig, str } from "../shared/config";
import { parseSigningKeys, type SigningKeySet } from "./keys";
import { loadOpsConfig, type OpsConfig } from "./ops/config";

export interface GdprSettings {
  /** Days a request may take (GDPR Art. 12(3): one month); the alert rule GdprRequestSlaAtRisk fires a week before. */
  readonly slaDays: number;
  /** How long an export document can be downloaded. */
  readonly exportTtlHours: number;
  /**
   * An erasure starts this long after its request: every ingestion pod has refreshed its suppression
   * list (SUPPRESSION_REFRESH_MS there) and events accepted before it were stored, so none lands after.
   */
  readonly settleMs: number;
  readonly pollMs: number;
  /** A claimed step not finished in this time (a crashed worker) is taken again by any pod. */
  readonly leaseMs: number;
  readonly maxBackoffMs: number;
}

export interface UsersConfig extends CommonConfig {
  host: string;
  port: number;
  /** The issuer URL as clients see it (behind the edge in production), ending in /oauth. */
  issuer: string;
  audience: string;
  signingKeys: SigningKeySet;
  secretKey: string;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  sessionTtlSec: number;
  login: { perAccount: number; perSource: number; windowSec: number };
  gdpr: GdprSettings;
  /** Services serving their stores over apps/shared/player-data/http.ts: `name=url` pairs. */
  playerDataUrls: Record<string, string>;
  /** The dashboard's public client, registered on start-up when USERS_DASHBOARD_REDIRECT_URIS is set (in the cluster: the edge's /dashboard/callback). */
  dashboardClient?: { clientId: string; redirectUris: string[] };
  /** Audit chain-head anchoring to the archives bucket under Object Lock (ARCHIVES_BUCKET/ARCHIVES_PREFIX, set in the cluster); absent: not anchored. */
  anchor?: { bucket: string; prefix: string; retentionDays: number; intervalMs: number };
  /** The operators' DLQ browser and status (Kafka as this service's own principal). */
  ops: OpsConfig;
}

export const USERS_DEFAULTS = {
  host: "127.0.0.1",
  port: 8083,
  accessTokenTtlSec: 3600,
  refreshTokenTtlSec: 14 * 86_400,
  sessionTtlSec: 8 * 3600,
  login: { perAccount: 5, perSource: 50, windowSec: 900 },
  gdpr: { slaDays: 30, exportTtlHours: 168, settleMs: 120_000, pollMs: 2000, leaseMs: 300_000, maxBackoffMs: 6 * 3600_000 },
  // Anchors outlive a year of audits; hourly, so a rewrite is caught against at most an hour-old head.
  anchor: { prefix: "audit-anchors", retentionDays: 400, intervalMs: 3600_000 },
} as const;

function pairs(env: NodeJS.ProcessEnv, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(env, key, [])) {
    const m = /^([a-z0-9_-]+)=(https?:\/\/\S+)$/.exec(item);
    if (m === null) throw new ConfigError(`config ${key} item "${item}" is invalid: expected <store>=<http(s) base URL>`);
    out[m[1]] = m[2];
  }
  return out;
}

function dashboardClient(env: NodeJS.ProcessEnv): UsersConfig["dashboardClient"] {
  const redirectUris = list(env, "USERS_DASHBOARD_REDIRECT_URIS", []);
  const bad = redirectUris.find((u) => !/^https?:\/\/[^\s/]+\/\S*$/.test(u));
  if (bad !== undefined) throw new ConfigError(`config USERS_DASHBOARD_REDIRECT_URIS item "${bad}" is invalid: expected an http(s) URL with a path (e.g. https://api.example.com/dashboard/callback)`);
  return redirectUris.length === 0 ? undefined : { clientId: str(env, "USERS_DASHBOARD_CLIENT_ID", DASHBOARD_CLIENT_ID), redirectUris };
}

function required(env: NodeJS.ProcessEnv, key: string, what: string): string {
  const v = str(env, key, "");
  if (v === "") throw new ConfigError(`config ${key} is missing: required, ${what}`);
  return v;
}

/** The keys, checked against USERS_SIGNING_KEY_GENERATION when set: a pod started before its Secret synced refuses to run. */
function signingKeys(env: NodeJS.ProcessEnv): SigningKeySet {
  const keys = parseSigningKeys(required(env, "USERS_SIGNING_KEYS", "the issuer's signing keys (Secrets Manager in the cluster)"));
  const expected = str(env, "USERS_SIGNING_KEY_GENERATION", "");
  if (expected !== "" && Number(expected) !== keys.generation) {
    throw new ConfigError(`config USERS_SIGNING_KEY_GENERATION="${expected}" does not match USERS_SIGNING_KEYS (current generation ${keys.generation}); the keys Secret has not synced yet`);
  }
  return keys;
}

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  const d = USERS_DEFAULTS;
  const port = int(env, "PORT", d.port, 0, 65_535);
  const issuer = str(env, "USERS_ISSUER", `http://127.0.0.1:${port}/oauth`).replace(/\/$/, "");
  if (!/^https?:\/\/[^\s/]+(\/\S*)?\/oauth$/.test(issuer)) throw new ConfigError(`config USERS_ISSUER="${issuer}" is invalid: expected an http(s) URL ending in /oauth`);
  const secretKey = required(env, "USERS_SECRET_KEY", "at least 32 characters (Secrets Manager in the cluster)");
  if (secretKey.length < 32) throw new ConfigError(`config USERS_SECRET_KEY is invalid: ${secretKey.length} characters, at least 32 required`);
  const bucket = str(env, "ARCHIVES_BUCKET", "");
  const dashboard = dashboardClient(env);
  const common = loadCommonConfig(env);
  return {
    ...common,
    host: str(env, "HOST", d.host),
    port,
    issuer,
    audience: str(env, "AUTH_AUDIENCE", DEFAULT_AUDIENCE),
    signingKeys: signingKeys(env),
    secretKey,
    accessTokenTtlSec: int(env, "USERS_ACCESS_TOKEN_TTL_SEC", d.accessTokenTtlSec, 60, 86_400),
    refreshTokenTtlSec: int(env, "USERS_REFRESH_TOKEN_TTL_SEC", d.refreshTokenTtlSec, 300, 90 * 86_400),
    sessionTtlSec: int(env, "USERS_SESSION_TTL_SEC", d.sessionTtlSec, 60, 30 * 86_400),
    login: {
      perAccount: int(env, "LOGIN_MAX_FAILURES_PER_ACCOUNT", d.login.perAccount, 1, 1000),
      perSource: int(env, "LOGIN_MAX_FAILURES_PER_SOURCE", d.login.perSource, 1, 100_000),
      windowSec: int(env, "LOGIN_THROTTLE_WINDOW_SEC", d.login.windowSec, 1, 86_400),
    },
    gdpr: {
      slaDays: int(env, "GDPR_SLA_DAYS", d.gdpr.slaDays, 1, 90),
      exportTtlHours: int(env, "GDPR_EXPORT_TTL_HOURS", d.gdpr.exportTtlHours, 1, 90 * 24),
      settleMs: int(env, "GDPR_SETTLE_MS", d.gdpr.settleMs, 0, 86_400_000),
      pollMs: int(env, "GDPR_POLL_MS", d.gdpr.pollMs, 50, 600_000),
      leaseMs: int(env, "GDPR_LEASE_MS", d.gdpr.leaseMs, 1000, 86_400_000),
      maxBackoffMs: int(env, "GDPR_MAX_BACKOFF_MS", d.gdpr.maxBackoffMs, 100, 7 * 86_400_000),
    },
    playerDataUrls: pairs(env, "PLAYER_DATA_URLS"),
    ...(dashboard === undefined ? {} : { dashboardClient: dashboard }),
    ops: loadOpsConfig(env, common.topicPrefix),
    ...(bucket === ""
      ? {}
      : {
          anchor: {
            bucket,
            prefix: str(env, "ARCHIVES_PREFIX", d.anchor.prefix),
            retentionDays: int(env, "AUDIT_ANCHOR_RETENTION_DAYS", d.anchor.retentionDays, 1, 36_500),
            intervalMs: int(env, "AUDIT_ANCHOR_INTERVAL_MS", d.anchor.intervalMs, 1000, 86_400_000),
          },
        }),
  };
}

import { loadAuthConfig, type VerifierOptions } from "../shared/auth";
import { CommonConfig, ConfigError, ConsumerGroup, consumerGroup, int, ListenAddress, listenAddress, loadServiceConfig, oneOf, str } from "../shared/config";
import { CHANNELS, type Channel } from "./model";

type Env = NodeJS.ProcessEnv;

export interface SmtpSettings {
  /** `primary` or `failover`: names the provider in attempts, metrics and the breaker. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS, required unless SMTP_REQUIRE_TLS=false. */
  readonly secure: boolean;
  readonly requireTls: boolean;
  readonly user?: string;
  readonly password?: string;
  /** Pooled connections to this server. */
  readonly maxConnections: number;
}

export interface WebPushSettings {
  readonly publicKey: string;
  readonly privateKey: string;
  /** mailto: or https: contact the push services may use (RFC 8292). */
  readonly subject: string;
}

export interface FcmSettings {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly privateKey: string;
}

export interface SmsSettings {
  readonly region: string;
  /** Another SNS endpoint (a VPC endpoint, or a local peer); the regional one when absent. */
  readonly endpoint?: string;
  readonly senderId?: string;
}

export interface NotificationsConfig extends CommonConfig, ListenAddress, ConsumerGroup {
  auth: VerifierOptions;
  email: { from: string; primary?: SmtpSettings; failover?: SmtpSettings };
  webPush?: WebPushSettings;
  fcm?: FcmSettings;
  sms?: SmsSettings;
  /** HS256 secret of the in-app WebSocket tickets; in-app delivery is off without it. */
  inAppTicketSecret?: string;
  dispatch: {
    /** Deliveries in flight per pod; 0: this pod serves the API and intake but sends nothing. */
    concurrency: number;
    pollMs: number;
    /** A claim expires after this long: a worker that died mid-send loses the delivery to another. */
    leaseMs: number;
    sendTimeoutMs: number;
  };
  retry: { baseMs: number; maxMs: number; maxAttempts: Readonly<Record<Channel, number>> };
  breaker: { volumeThreshold: number; errorPercent: number; resetMs: number };
  /** How often trigger rules, templates and consent are re-read. */
  cacheTtlMs: number;
}

export const NOTIFICATIONS_DEFAULTS = {
  host: "127.0.0.1",
  port: 8083,
  groupId: "gamemetrics.notifications",
  sessionTimeoutMs: 30_000,
  smtpPort: 587,
  smtpMaxConnections: 5,
  concurrency: 32,
  pollMs: 500,
  leaseMs: 120_000,
  sendTimeoutMs: 30_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: { email: 8, push: 5, sms: 5, in_app: 3 } satisfies Record<Channel, number>,
  breakerVolume: 10,
  breakerErrorPercent: 50,
  breakerResetMs: 30_000,
  cacheTtlMs: 5000,
} as const;

const opt = (env: Env, key: string): string | undefined => {
  const v = str(env, key, "");
  return v === "" ? undefined : v;
};

function bool(env: Env, key: string, def: boolean): boolean {
  return oneOf(env, key, def ? "true" : "false", ["true", "false"]) === "true";
}

/** SMTP_* (or SMTP_FAILOVER_*): absent host means no such server. */
function smtp(env: Env, prefix: string, name: string): SmtpSettings | undefined {
  const host = opt(env, `${prefix}HOST`);
  if (host === undefined) return undefined;
  const secure = bool(env, `${prefix}SECURE`, false);
  const user = opt(env, `${prefix}USERNAME`);
  const password = opt(env, `${prefix}PASSWORD`);
  if ((user === undefined) !== (password === undefined)) {
    throw new ConfigError(`config ${prefix}USERNAME and ${prefix}PASSWORD must be set together (one of them is missing)`);
  }
  return {
    name,
    host,
    port: int(env, `${prefix}PORT`, secure ? 465 : NOTIFICATIONS_DEFAULTS.smtpPort, 1, 65_535),
    secure,
    requireTls: bool(env, `${prefix}REQUIRE_TLS`, true),
    user,
    password,
    maxConnections: int(env, `${prefix}MAX_CONNECTIONS`, NOTIFICATIONS_DEFAULTS.smtpMaxConnections, 1, 100),
  };
}

/** All of `keys` set, or none; a partial set is a mistake worth stopping for. */
function group(env: Env, keys: readonly string[], what: string): string[] | undefined {
  const values = keys.map((k) => opt(env, k));
  if (values.every((v) => v === undefined)) return undefined;
  const missing = keys.filter((_, i) => values[i] === undefined);
  if (missing.length > 0) throw new ConfigError(`config ${missing.join(", ")} missing: ${keys.join(", ")} configure ${what} together`);
  return values as string[];
}

function webPush(env: Env): WebPushSettings | undefined {
  const v = group(env, ["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"], "Web Push");
  if (v === undefined) return undefined;
  if (!/^(mailto:|https:\/\/)/.test(v[2])) throw new ConfigError(`config VAPID_SUBJECT="${v[2]}" is invalid: expected a mailto: or https: URL`);
  return { publicKey: v[0], privateKey: v[1], subject: v[2] };
}

function fcm(env: Env): FcmSettings | undefined {
  const v = group(env, ["FCM_PROJECT_ID", "FCM_CLIENT_EMAIL", "FCM_PRIVATE_KEY"], "FCM");
  // Secrets often carry the PEM's newlines escaped.
  return v === undefined ? undefined : { projectId: v[0], clientEmail: v[1], privateKey: v[2].replace(/\\n/g, "\n") };
}

function sms(env: Env): SmsSettings | undefined {
  const provider = oneOf(env, "SMS_PROVIDER", "none", ["none", "sns"] as const);
  if (provider === "none") return undefined;
  const region = opt(env, "SMS_SNS_REGION") ?? opt(env, "AWS_REGION");
  if (region === undefined) throw new ConfigError("config SMS_SNS_REGION is missing: required when SMS_PROVIDER is sns (or set AWS_REGION)");
  return { region, endpoint: opt(env, "SMS_SNS_ENDPOINT"), senderId: opt(env, "SMS_SENDER_ID") };
}

export function loadNotificationsConfig(env: Env = process.env): NotificationsConfig {
  const d = NOTIFICATIONS_DEFAULTS;
  const primary = smtp(env, "SMTP_", "primary");
  const failover = smtp(env, "SMTP_FAILOVER_", "failover");
  if (failover !== undefined && primary === undefined) throw new ConfigError("config SMTP_FAILOVER_HOST is set without SMTP_HOST: the failover server backs up a primary one");
  const from = str(env, "EMAIL_FROM", "");
  if (primary !== undefined && !/^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(from)) {
    throw new ConfigError(`config EMAIL_FROM="${from}" is invalid: expected an address such as "Game <noreply@example.com>" (required with SMTP_HOST)`);
  }
  const secret = opt(env, "INAPP_TICKET_SECRET");
  if (secret !== undefined && secret.length < 32) throw new ConfigError("config INAPP_TICKET_SECRET is invalid: expected at least 32 characters");
  const leaseMs = int(env, "NOTIFY_LEASE_MS", d.leaseMs, 1000, 3_600_000);
  const sendTimeoutMs = int(env, "NOTIFY_SEND_TIMEOUT_MS", d.sendTimeoutMs, 100, 600_000);
  if (leaseMs <= sendTimeoutMs) {
    throw new ConfigError(`config NOTIFY_LEASE_MS=${leaseMs} must be longer than NOTIFY_SEND_TIMEOUT_MS=${sendTimeoutMs}: a claim must outlive the send it covers`);
  }
  const retryBaseMs = int(env, "NOTIFY_RETRY_BASE_MS", d.retryBaseMs, 10, 86_400_000);
  const maxAttempts = Object.fromEntries(CHANNELS.map((c) => [c, int(env, `NOTIFY_MAX_ATTEMPTS_${c.toUpperCase()}`, d.maxAttempts[c], 1, 100)])) as Record<Channel, number>;
  return loadServiceConfig(env, () => ({
    ...listenAddress(env, "NOTIFICATIONS_", d),
    ...consumerGroup(env, { groupId: "KAFKA_CONSUMER_GROUP", sessionTimeoutMs: "NOTIFICATIONS_SESSION_TIMEOUT_MS" }, d),
    auth: loadAuthConfig(env),
    email: { from, primary, failover },
    webPush: webPush(env),
    fcm: fcm(env),
    sms: sms(env),
    inAppTicketSecret: secret,
    dispatch: { concurrency: int(env, "NOTIFY_DISPATCH_CONCURRENCY", d.concurrency, 0, 1000), pollMs: int(env, "NOTIFY_POLL_MS", d.pollMs, 10, 60_000), leaseMs, sendTimeoutMs },
    retry: { baseMs: retryBaseMs, maxMs: int(env, "NOTIFY_RETRY_MAX_MS", Math.max(d.retryMaxMs, retryBaseMs), retryBaseMs, 7 * 86_400_000), maxAttempts },
    breaker: {
      volumeThreshold: int(env, "NOTIFY_BREAKER_VOLUME", d.breakerVolume, 1, 10_000),
      errorPercent: int(env, "NOTIFY_BREAKER_ERROR_PERCENT", d.breakerErrorPercent, 1, 100),
      resetMs: int(env, "NOTIFY_BREAKER_RESET_MS", d.breakerResetMs, 100, 3_600_000),
    },
    cacheTtlMs: int(env, "NOTIFY_CACHE_TTL_MS", d.cacheTtlMs, 0, 600_000),
  }));
}

import { APP_ACCESS, type KafkaApp, observedGroups } from "../kafka/access";
import type { KafkaContract } from "../kafka/contract";
import { APP_SECRETS } from "../services/external-secrets";
import { QDRANT_API_KEY_SECRET } from "../services/qdrant/values";
import type { IdentityProfile } from "../config/sections/identity";
import { NAMESPACES } from "../contracts";
import { URLS } from "../observability/names";
import { CATALOG, type CatalogEntry, type CatalogSettings, WORKLOAD_NAMES, type WorkloadName } from "./catalog";

/**
 * An app's environment, as Kubernetes EnvVars. Credentials only ever arrive as secretKeyRefs; URLs
 * that embed them are composed by the kubelet with $(VAR) references, so no manifest holds a secret.
 */
export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } } };

/** Where the Kafka CA (Strimzi mode) is mounted in every Kafka app's container. */
export const KAFKA_CA_DIR = "/etc/gamemetrics/kafka-ca";

/** What the environment is built from besides the catalog entry. */
export interface EnvContext {
  /** The Kafka contract with bootstrap servers resolved. */
  readonly kafka: KafkaContract;
  readonly qdrantUrl: string;
  readonly region: string;
  readonly archivesBucket: string;
  /** The users service as issuer: the URL in tokens, where its JWKS is inside the cluster, its settings. */
  readonly identity: { readonly issuer: string; readonly jwksUrl: string; readonly profile: IdentityProfile };
  /** The first RDS read replica's address; absent when the stack runs none (free tier). */
  readonly postgresReaderHost?: string;
  /** The data key: objects the apps write to the archives bucket are SSE-KMS encrypted with it. */
  readonly archivesKmsKeyArn: string;
  readonly settings: CatalogSettings;
}

/** Pure: the issuer URL, the configured public one or the in-cluster one. */
export function issuerUrl(profile: Pick<IdentityProfile, "issuerUrl">): string {
  return profile.issuerUrl !== "" ? profile.issuerUrl : `${usersServiceUrl()}/oauth`;
}

/** A service inside the cluster (its Service in the apps namespace). */
export function serviceUrl(app: WorkloadName): string {
  const entry = CATALOG[app];
  if (entry.kind !== "service") throw new Error(`the ${app} catalog entry must be a service`);
  return `http://${app}.${NAMESPACES.apps}.svc.cluster.local:${entry.listener.port}`;
}

export const usersServiceUrl = (): string => serviceUrl("users");

/** The apps the users service calls serve their part of a player's data to its GDPR job (apps/shared/player-data). */
export function playerDataUrls(): string {
  return WORKLOAD_NAMES.filter((a) => {
    const e = CATALOG[a];
    return e.kind === "service" && e.calledBy.includes("users");
  })
    .map((a) => `${a}=${serviceUrl(a)}`)
    .join(",");
}

const fromSecret = (name: string, secret: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const plain = (name: string, value: string): EnvVar => ({ name, value });

export function isKafkaApp(app: string): app is KafkaApp {
  return app in APP_ACCESS;
}

// node-postgres reads PGPASSWORD when the URL has none, so the password never enters a URL;
// verify-full works because the image trusts the RDS CA bundle (NODE_EXTRA_CA_CERTS, see Dockerfile).
const postgresEnv = (): EnvVar[] => [
  fromSecret("PGHOST", APP_SECRETS.postgres, "host"),
  fromSecret("PGPORT", APP_SECRETS.postgres, "port"),
  fromSecret("PGDATABASE", APP_SECRETS.postgres, "dbname"),
  fromSecret("PGUSER", APP_SECRETS.postgres, "username"),
  fromSecret("PGPASSWORD", APP_SECRETS.postgres, "password"),
  plain("DATABASE_URL", "postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)?sslmode=verify-full"),
];

// The AUTH token stays out of the URL: ElastiCache tokens may hold "#", which would end a URL's
// authority; clients pass REDIS_PASSWORD as their password option. rediss: ElastiCache requires TLS.
const redisEnv = (): EnvVar[] => [
  fromSecret("REDIS_HOST", APP_SECRETS.redis, "host"),
  fromSecret("REDIS_PORT", APP_SECRETS.redis, "port"),
  fromSecret("REDIS_PASSWORD", APP_SECRETS.redis, "password"),
  fromSecret("REDIS_CLUSTER", APP_SECRETS.redis, "cluster"),
  plain("REDIS_URL", "rediss://$(REDIS_HOST):$(REDIS_PORT)"),
];

const qdrantEnv = (ctx: EnvContext): EnvVar[] => [
  plain("QDRANT_URL", ctx.qdrantUrl),
  fromSecret("QDRANT_API_KEY", QDRANT_API_KEY_SECRET.name, QDRANT_API_KEY_SECRET.key),
];

// The replica shares the primary's credentials, port and database (RDS replicas copy them).
const readReplicaEnv = (host: string | undefined): EnvVar[] =>
  host === undefined ? [] : [plain("DATABASE_READ_URL", `postgres://$(PGUSER)@${host}:$(PGPORT)/$(PGDATABASE)?sslmode=verify-full`)];

/** The Kafka contract as env: the same names whichever mode (Strimzi or MSK) deployed Kafka. */
function kafkaEnv(app: KafkaApp, entry: CatalogEntry, kafka: KafkaContract): EnvVar[] {
  const access = kafka.apps[app];
  const group = access.consumerGroup;
  return [
    plain("KAFKA_BROKERS", kafka.bootstrapServers),
    plain("KAFKA_SECURITY_PROTOCOL", kafka.securityProtocol),
    plain("KAFKA_SASL_MECHANISM", kafka.saslMechanism),
    fromSecret("KAFKA_SASL_USERNAME", access.secretName, kafka.credentialKeys.username),
    fromSecret("KAFKA_SASL_PASSWORD", access.secretName, kafka.credentialKeys.password),
    ...(kafka.caSecret === null ? [] : [plain("KAFKA_CA_FILE", `${KAFKA_CA_DIR}/${kafka.caSecret.key}`)]),
    plain("SCHEMA_REGISTRY_URL", kafka.schemaRegistryUrl),
    // The ACLs admit only the app's own group.
    ...(group === null ? [] : [plain("KAFKA_CONSUMER_GROUP", group), ...(entry.groupEnv === undefined ? [] : [plain(entry.groupEnv, group)])]),
  ];
}

/** The migrations Job's environment: the database only (apps/admin/migrate.ts reads DATABASE_URL). */
export function migrationEnv(): EnvVar[] {
  return [plain("NODE_ENV", "production"), plain("LOG_LEVEL", "info"), ...postgresEnv()];
}

/** The apps that call the users service verify its tokens (apps/shared/auth/config.ts), with the JWKS fetched inside the cluster. */
const authEnv = (app: WorkloadName, ctx: EnvContext): EnvVar[] =>
  CATALOG.users.kind === "service" && (CATALOG.users.calledBy as readonly string[]).includes(app) ? [plain("AUTH_ISSUER", ctx.identity.issuer), plain("AUTH_JWKS_URL", ctx.identity.jwksUrl)] : [];

/** The consumer groups whose lag the users service shows (apps/users/ops/config.ts): names, or prefixes ending in `*`. */
export const opsConsumerGroups = (): string => observedGroups("users").map((g) => (g.patternType === "prefix" ? `${g.name}*` : g.name)).join(",");

const usersEnv = (ctx: EnvContext): EnvVar[] => [
  plain("USERS_ISSUER", ctx.identity.issuer),
  // A bump rolls the pods (the env changes) and they start only once the keys Secret has synced.
  plain("USERS_SIGNING_KEY_GENERATION", String(ctx.identity.profile.signingKeyGeneration)),
  plain("USERS_ACCESS_TOKEN_TTL_SEC", String(ctx.identity.profile.accessTokenTtlSeconds)),
  plain("GDPR_SLA_DAYS", String(ctx.identity.profile.gdprSlaDays)),
  plain("PLAYER_DATA_URLS", playerDataUrls()),
  ...dashboardClientEnv(ctx.identity.profile),
  // The Operations page's status: lag from Kafka as its own principal, the ingestion error ratio from
  // Prometheus itself (5 minutes of it: no need for Thanos's long-term view).
  plain("OPS_CONSUMER_GROUPS", opsConsumerGroups()),
  plain("OPS_PROMETHEUS_URL", URLS.prometheus),
];

/**
 * Where browsers come back to after signing in to the dashboard: the public edge's host (the issuer's,
 * both behind the one ALB) plus the dashboard's edge path and its callback (apps/dashboard/web/src/auth.ts).
 */
export function dashboardRedirectUri(issuer: string): string {
  const entry = CATALOG.dashboard;
  if (entry.kind !== "service" || entry.publicPaths === undefined) throw new Error("the dashboard catalog entry must be a public service with its edge path");
  return `${new URL(issuer).origin}${entry.publicPaths[0]}/callback`;
}

/** The users service registers the dashboard's public client on start-up, only when browsers can reach the issuer (a public issuer URL). */
const dashboardClientEnv = (profile: Pick<IdentityProfile, "issuerUrl">): EnvVar[] =>
  profile.issuerUrl === "" ? [] : [plain("USERS_DASHBOARD_REDIRECT_URIS", dashboardRedirectUri(profile.issuerUrl))];

/** Analytics calls recommendations with its own client-credentials token, from the users service inside the cluster. */
const analyticsEnv = (): EnvVar[] => [plain("RECOMMENDATIONS_URL", serviceUrl("recommendations")), plain("AUTH_TOKEN_URL", `${usersServiceUrl()}/oauth/token`)];

/** The dashboard's server: the issuer browsers sign in with (public); analytics and the users service's operator APIs, inside the cluster, to forward to. */
const dashboardEnv = (ctx: EnvContext): EnvVar[] => [
  plain("DASHBOARD_ISSUER", ctx.identity.issuer),
  plain("DASHBOARD_ANALYTICS_URL", serviceUrl("analytics")),
  plain("DASHBOARD_USERS_URL", usersServiceUrl()),
];

/** Every env var of one app's container. */
export function appEnv(app: WorkloadName, entry: CatalogEntry, ctx: EnvContext): EnvVar[] {
  const listener = entry.kind === "service" ? [plain(entry.listener.hostEnv, "0.0.0.0"), plain(entry.listener.portEnv, String(entry.listener.port))] : [];
  const aws =
    entry.archivesPrefix === undefined
      ? []
      : [plain("AWS_REGION", ctx.region), plain("ARCHIVES_BUCKET", ctx.archivesBucket), plain("ARCHIVES_PREFIX", entry.archivesPrefix), plain("ARCHIVES_KMS_KEY_ID", ctx.archivesKmsKeyArn)];
  const settings = Object.entries(entry.settings?.(ctx.settings) ?? {}).map(([name, value]) => plain(name, value));
  return [
    plain("NODE_ENV", "production"),
    plain("LOG_LEVEL", "info"),
    ...listener,
    ...(entry.data.includes("postgres") ? postgresEnv() : []),
    ...(entry.data.includes("postgres") && entry.readReplica === true ? readReplicaEnv(ctx.postgresReaderHost) : []),
    ...(entry.data.includes("redis") ? redisEnv() : []),
    ...(entry.data.includes("qdrant") ? qdrantEnv(ctx) : []),
    ...(isKafkaApp(app) ? kafkaEnv(app, entry, ctx.kafka) : []),
    ...aws,
    ...authEnv(app, ctx),
    ...(app === "users" ? usersEnv(ctx) : []),
    ...(app === "analytics" ? analyticsEnv() : []),
    ...(app === "dashboard" ? dashboardEnv(ctx) : []),
    ...(entry.secretEnv ?? []).map((s) => fromSecret(s.name, s.secret, s.key)),
    ...settings,
  ];
}

import type { Profile } from "../config";
import { APP_NAMES, type AppName } from "../config/sections/apps";
import type { S3Access } from "../services/s3-prefix-policy";

/** The Kubernetes Secret the users service reads its keys from (infra/workloads/users-secrets.ts fills it). */
export const USERS_SECRET = { name: "users-identity", signingKeys: "signingKeys", secretKey: "secretKey" } as const;

/**
 * The analytics API's client secret for the users service's token endpoint, derived by Pulumi from the
 * users service's secret key as the service derives it (infra/workloads/users-secrets.ts fills it).
 */
export const ANALYTICS_CLIENT_SECRET = { name: "analytics-service-client", key: "clientSecret" } as const;

/** The Kubernetes Secret the notifications service reads its provider credentials from (infra/workloads/notifications-secrets.ts fills it). */
export const NOTIFICATIONS_SECRET = {
  name: "notifications-providers",
  keys: { SMTP_HOST: "smtpHost", SMTP_PORT: "smtpPort", SMTP_USERNAME: "smtpUsername", SMTP_PASSWORD: "smtpPassword", EMAIL_FROM: "emailFrom", INAPP_TICKET_SECRET: "inboxTicketSecret" },
} as const;

/** Data services an app connects to; each maps to env vars fed from Secrets (see env.ts). */
export type DataNeed = "postgres" | "redis" | "qdrant";

/** Where an app listens and which env vars tell it so (the names its config module reads). */
export interface Listener {
  readonly port: number;
  readonly portEnv: string;
  readonly hostEnv: string;
}

interface BaseEntry {
  readonly description: string;
  readonly data: readonly DataNeed[];
  /** Env var naming the Kafka consumer group, for apps whose config does not default to the ACL'd one. */
  readonly groupEnv?: string;
  /** A prefix of the archives bucket the app may read and write (IRSA); absent: no AWS access. */
  readonly archivesPrefix?: string;
  /** What it may do there (default readwrite). */
  readonly archivesAccess?: S3Access;
  /** The app whose image this workload runs (a second workload of one app, e.g. its batch job); absent: its own. */
  readonly image?: AppName;
  /** Overrides the image's command (the entry point of that other workload); absent: the image's CMD. */
  readonly command?: readonly string[];
  /** Env vars read from Secrets of the app's own (Pulumi-generated, synced by External Secrets). */
  readonly secretEnv?: readonly { readonly name: string; readonly secret: string; readonly key: string }[];
  /** Reads go to the RDS read replica when the stack has one (DATABASE_READ_URL); never writes there. */
  readonly readReplica?: boolean;
  /** It reads Prometheus's HTTP query API (infra/workloads/metrics-query.ts admits exactly that, both ways); the why. */
  readonly queriesPrometheus?: string;
  /** Ports the app reaches on the internet beyond the HTTPS every app has (e.g. SMTP submission to the email provider). */
  readonly internetEgress?: readonly { readonly port: number; readonly why: string }[];
  /** Plain settings the app's config module reads, from the stack's profile (per tier, overridable) or fixed; never credentials (Secrets, see env.ts). */
  readonly settings?: (p: CatalogSettings) => Readonly<Record<string, string>>;
  /** Fixed requests for a workload far smaller than the tier's app size (the memory limit equals the request); absent: the tier's. */
  readonly resources?: { readonly cpu: string; readonly memory: string };
}

/** The sections of the stack profile that catalog entries turn into env. */
export type CatalogSettings = Pick<Profile, "retention">;

/** A long-running service: Deployment + Service + ServiceMonitor (+ HPA, PDB, Ingress as set). */
export interface ServiceEntry extends BaseEntry {
  readonly kind: "service";
  readonly listener: Listener;
  /** Scaled by an HPA on CPU between the tier's min and max; otherwise a fixed replica count. */
  readonly autoscale: boolean;
  /** Served on the public edge (ALB Ingress); gets the public-API label the network baseline admits. */
  readonly public: boolean;
  /** Path prefixes the edge sends to it (default: everything, "/"). */
  readonly publicPaths?: readonly string[];
  /** Other apps that call this one over HTTP: each gets a NetworkPolicy allow, both directions. */
  readonly calledBy: readonly AppName[];
}

/** A scheduled batch: CronJob (no Service, no probes). */
export interface JobEntry extends BaseEntry {
  readonly kind: "cronjob";
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
}

export type CatalogEntry = ServiceEntry | JobEntry;

/**
 * Every app that has code (apps/<name>/main.ts) and so an image; one entry each. An app without code
 * is not listed: its Deployment would wait for an image that was never built. Adding an app is its
 * name in APP_NAMES (infra/config/sections/apps.ts) and one entry here.
 */
/**
 * Every workload: one per app, plus second workloads of an app under their own names. They reuse
 * that app's image (ECR repositories and Kafka identities stay per app, from APP_NAMES).
 */
export const WORKLOAD_NAMES = [...APP_NAMES, "recommendations-train"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export const CATALOG: Readonly<Record<WorkloadName, CatalogEntry>> = {
  ingestion: {
    kind: "service",
    description: "public event API: validates and produces to player.events.raw",
    listener: { port: 8080, portEnv: "PORT", hostEnv: "HOST" }, // apps/ingestion/config.ts
    autoscale: true,
    public: true,
    calledBy: [],
    data: ["postgres", "redis"],
  },
  processor: {
    kind: "service",
    description: "player.events.raw -> PostgreSQL + player.events.processed",
    listener: { port: 9091, portEnv: "PROCESSOR_OPS_PORT", hostEnv: "PROCESSOR_OPS_HOST" }, // apps/processor/config.ts
    autoscale: true,
    public: false,
    calledBy: [],
    data: ["postgres"],
    groupEnv: "PROCESSOR_GROUP_ID",
  },
  users: {
    kind: "service",
    description: "OAuth2/OIDC issuer (staff, game servers, services), player profiles, GDPR export and erasure, the operators' APIs (audit, API keys, DLQ, event path status)",
    listener: { port: 8080, portEnv: "PORT", hostEnv: "HOST" }, // apps/users/config.ts
    autoscale: false,
    // The issuer behind the edge: only the provider's routes, never the users API or the internal ones.
    public: true,
    publicPaths: ["/oauth", "/.well-known"],
    // The APIs fetch its JWKS to verify tokens: each that does is listed here (and gets AUTH_ISSUER);
    // the dashboard's server forwards the Operations page's requests (audit log, API keys, DLQ, status).
    calledBy: ["analytics", "notifications", "recommendations", "dashboard"],
    data: ["postgres", "redis"],
    // The audit chain head, hourly, under Object Lock (apps/shared/audit-anchor.ts): write, never delete.
    archivesPrefix: "audit-anchors",
    archivesAccess: "append-locked",
    queriesPrometheus: "the Operations page's ingestion error ratio",
    secretEnv: [
      { name: "USERS_SIGNING_KEYS", secret: USERS_SECRET.name, key: USERS_SECRET.signingKeys },
      { name: "USERS_SECRET_KEY", secret: USERS_SECRET.name, key: USERS_SECRET.secretKey },
    ],
  },
  analytics: {
    kind: "service",
    description: "GraphQL + WebSocket analytics API over the rollups; live counters from player.events.processed",
    listener: { port: 8083, portEnv: "PORT", hostEnv: "HOST" }, // apps/analytics/config.ts
    autoscale: false,
    public: false,
    // The dashboard's server forwards the browser's GraphQL (HTTP and WebSocket) to it: the API stays off the edge.
    calledBy: ["dashboard"],
    data: ["postgres", "redis"],
    // Each pod consumes under `<group>.<pod>` (HOSTNAME): infra/kafka/access.ts admits the prefix.
    groupEnv: "ANALYTICS_LIVE_GROUP_PREFIX",
    readReplica: true,
    // Its client-credentials token for the recommendations service (Player.recommendations).
    secretEnv: [{ name: "AUTH_CLIENT_SECRET", secret: ANALYTICS_CLIENT_SECRET.name, key: ANALYTICS_CLIENT_SECRET.key }],
  },
  notifications: {
    kind: "service",
    description: "notifications: API + notifications topic + trigger rules -> email, push, SMS, in-app; retry, then DLQ",
    listener: { port: 8080, portEnv: "NOTIFICATIONS_PORT", hostEnv: "NOTIFICATIONS_HOST" }, // apps/notifications/config.ts
    autoscale: false,
    public: false,
    calledBy: [],
    // Redis: in-app notifications fan out across pods over pub/sub.
    data: ["postgres", "redis"],
    secretEnv: Object.entries(NOTIFICATIONS_SECRET.keys).map(([name, key]) => ({ name, secret: NOTIFICATIONS_SECRET.name, key })),
    // SES SMTP with STARTTLS; Web Push, FCM and SNS are HTTPS, which every app already has.
    internetEgress: [{ port: 587, why: "SMTP submission (STARTTLS) to the email provider" }],
  },
  retention: {
    kind: "cronjob",
    description: "daily: archives expired event partitions to S3 and drops them",
    schedule: "30 3 * * *",
    data: ["postgres"],
    archivesPrefix: "player-events",
    // Erasing a player from the archives deletes every old version of the objects that held them.
    archivesAccess: "readwrite-versions",
    // apps/retention/config.ts
    settings: (p) => ({ RETENTION_HOT_DAYS: String(p.retention.hotDays) }),
  },
  recommendations: {
    kind: "service",
    description: "recommendations: Redis cache-aside over Qdrant, player vectors kept current from player.events.processed",
    listener: { port: 8084, portEnv: "RECOMMENDATIONS_PORT", hostEnv: "RECOMMENDATIONS_HOST" }, // apps/recommendations/config.ts
    autoscale: false,
    public: false,
    // The users service's GDPR job reaches its cached pages and vectors (apps/shared/player-data/http.ts);
    // analytics asks it for a player's recommendations (the dashboard's player page).
    calledBy: ["users", "analytics"],
    // PostgreSQL: model rows, exclusions, rules; Redis: the cache; Qdrant: the serving index.
    data: ["postgres", "redis", "qdrant"],
    settings: () => ({ RECOMMENDATIONS_VECTOR_STORE: "qdrant" }),
  },
  dashboard: {
    kind: "service",
    description: "the web dashboard: serves the built single-page app, forwards its GraphQL to analytics and its operator requests (audit, API keys, GDPR, DLQ, status) to users",
    listener: { port: 8080, portEnv: "PORT", hostEnv: "HOST" }, // apps/dashboard/config.ts
    autoscale: false,
    public: true,
    // Beside ingestion's "/" on the one ALB: the app, its config and its GraphQL live under this prefix.
    publicPaths: ["/dashboard"],
    calledBy: [],
    data: [],
    // Static files and a proxy of small GraphQL requests: a sliver of the tier's app size (prod runs near its CPU floor).
    resources: { cpu: "25m", memory: "64Mi" },
  },
  "recommendations-train": {
    kind: "cronjob",
    description: "daily: trains a recommendations model version from the stored events, publishes it to Qdrant and swaps the live alias",
    image: "recommendations",
    command: ["node", "dist/apps/recommendations/cli.js", "train"], // apps/recommendations/cli.ts
    // After retention (03:30) has dropped expired partitions: the window reads what is kept.
    schedule: "15 4 * * *",
    data: ["postgres", "qdrant"],
    settings: () => ({ RECOMMENDATIONS_VECTOR_STORE: "qdrant" }),
  },
};

/** The app whose image a workload runs. */
export const imageOf = (name: WorkloadName): AppName => CATALOG[name].image ?? (name as AppName);

/** The in-cluster migrations Job runs the apps' own migrator (apps/admin/migrate.ts), compiled into every app image. */
export const MIGRATIONS = { image: "processor", command: ["node", "dist/apps/admin/migrate.js"] } as const satisfies { image: AppName; command: readonly string[] };

import { type AppName } from "../config/sections/apps";

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
  /** Reads go to the RDS read replica when the stack has one (DATABASE_READ_URL); never writes there. */
  readonly readReplica?: boolean;
  /** Verifies the platform's bearer tokens: gets AUTH_ISSUER, the users service's issuer URL. */
  readonly verifiesTokens?: boolean;
}

/** A long-running service: Deployment + Service + ServiceMonitor (+ HPA, PDB, Ingress as set). */
export interface ServiceEntry extends BaseEntry {
  readonly kind: "service";
  readonly listener: Listener;
  /** Scaled by an HPA on CPU between the tier's min and max; otherwise a fixed replica count. */
  readonly autoscale: boolean;
  /** Served on the public edge (ALB Ingress); gets the public-API label the network baseline admits. */
  readonly public: boolean;
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
export const CATALOG: Readonly<Record<AppName, CatalogEntry>> = {
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
  analytics: {
    kind: "service",
    description: "GraphQL + WebSocket analytics API over the rollups; live counters from player.events.processed",
    listener: { port: 8083, portEnv: "PORT", hostEnv: "HOST" }, // apps/analytics/config.ts
    autoscale: false,
    public: false,
    calledBy: [],
    data: ["postgres", "redis"],
    // Each pod consumes under `<group>.<pod>` (HOSTNAME): infra/kafka/access.ts admits the prefix.
    groupEnv: "ANALYTICS_LIVE_GROUP_PREFIX",
    readReplica: true,
    verifiesTokens: true,
  },
};

/** The in-cluster migrations Job runs the apps' own migrator (apps/admin/migrate.ts), compiled into every app image. */
export const MIGRATIONS = { image: "processor", command: ["node", "dist/apps/admin/migrate.js"] } as const satisfies { image: AppName; command: readonly string[] };

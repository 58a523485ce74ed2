import type { Profile } from "../config";
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
  /** Settings the app reads from its environment whose values come from the stack's profile (per tier, overridable). */
  readonly settings?: (p: CatalogSettings) => Readonly<Record<string, string>>;
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

/** Services whose code is not written yet follow the convention of the written ones: PORT/HOST, ops on 8080. */
const conventional: Listener = { port: 8080, portEnv: "PORT", hostEnv: "HOST" };

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
    description: "GraphQL + WebSocket analytics API over the processed events",
    listener: conventional,
    autoscale: false,
    public: false,
    calledBy: [],
    data: ["postgres", "redis"],
  },
  recommendations: {
    kind: "service",
    description: "recommendations: Redis cache-aside over Qdrant",
    listener: conventional,
    autoscale: false,
    public: false,
    // The analytics API resolves a player's recommendations through this service.
    calledBy: ["analytics"],
    data: ["redis", "qdrant"],
  },
  notifications: {
    kind: "service",
    description: "delivers notifications with retry, then DLQ",
    listener: conventional,
    autoscale: false,
    public: false,
    calledBy: [],
    data: ["postgres"],
  },
  users: {
    kind: "service",
    description: "player profiles and accounts",
    listener: conventional,
    autoscale: false,
    public: false,
    // The analytics API resolves player profiles through this service.
    calledBy: ["analytics"],
    data: ["postgres", "redis"],
  },
  retention: {
    kind: "cronjob",
    description: "daily: archives expired event partitions to S3 and drops them",
    schedule: "30 3 * * *",
    data: ["postgres"],
    archivesPrefix: "player-events",
    // apps/retention/config.ts
    settings: (p) => ({ RETENTION_HOT_DAYS: String(p.retention.hotDays) }),
  },
};

import { APP_NAMES, type AppName } from "../config/sections/apps";

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
  /** The app whose image this workload runs (a second workload of one app, e.g. its batch job); absent: its own. */
  readonly image?: AppName;
  /** Overrides the image's command (the entry point of that other workload); absent: the image's CMD. */
  readonly command?: readonly string[];
  /** Plain settings the app's config module reads (never credentials: those come from Secrets, see env.ts). */
  readonly env?: Readonly<Record<string, string>>;
  /** Env var naming the Kafka consumer group, for apps whose config does not default to the ACL'd one. */
  readonly groupEnv?: string;
  /** A prefix of the archives bucket the app may read and write (IRSA); absent: no AWS access. */
  readonly archivesPrefix?: string;
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
 * Every workload: one per app, plus second workloads of an app under their own names. They reuse
 * that app's image (ECR repositories and Kafka identities stay per app, from APP_NAMES).
 */
export const WORKLOAD_NAMES = [...APP_NAMES, "recommendations-train"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Services whose code is not written yet follow the convention of the written ones: PORT/HOST, ops on 8080. */
const conventional: Listener = { port: 8080, portEnv: "PORT", hostEnv: "HOST" };

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
    description: "recommendations: Redis cache-aside over Qdrant, player vectors kept current from player.events.processed",
    listener: { port: 8083, portEnv: "RECOMMENDATIONS_PORT", hostEnv: "RECOMMENDATIONS_HOST" }, // apps/recommendations/config.ts
    autoscale: false,
    public: false,
    // The analytics API resolves a player's recommendations through this service.
    calledBy: ["analytics"],
    // PostgreSQL: model rows, exclusions, rules; Redis: the cache; Qdrant: the serving index.
    data: ["postgres", "redis", "qdrant"],
    env: { RECOMMENDATIONS_VECTOR_STORE: "qdrant" },
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
  },
  "recommendations-train": {
    kind: "cronjob",
    description: "daily: trains a recommendations model version from the stored events, publishes it to Qdrant and swaps the live alias",
    image: "recommendations",
    command: ["node", "dist/apps/recommendations/cli.js", "train"], // apps/recommendations/cli.ts
    // After retention (03:30) has dropped expired partitions: the window reads what is kept.
    schedule: "15 4 * * *",
    data: ["postgres", "qdrant"],
    env: { RECOMMENDATIONS_VECTOR_STORE: "qdrant" },
  },
};

/** The app whose image a workload runs. */
export const imageOf = (name: WorkloadName): AppName => CATALOG[name].image ?? (name as AppName);

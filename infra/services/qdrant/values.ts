import { resources } from "../../config/sections/kube-quantities";
import type { QdrantProfile } from "../../config/sections/qdrant";
import { irsaAnnotation } from "../s3-prefix-policy";

/** The release's full name: the Service, StatefulSet and ServiceAccount are all called this. */
export const QDRANT_NAME = "qdrant";
export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_SERVICE_ACCOUNT = QDRANT_NAME;
/** The Secret (in the data namespace, copied to the apps namespace) that holds the API key. */
export const QDRANT_API_KEY_SECRET = { name: "qdrant-api-key", key: "api-key" } as const;
/**
 * Qdrant uses its snapshots_path, minus a leading `/` or `./`, as the S3 key prefix; the IRSA
 * policy is scoped to exactly that prefix of the backups bucket.
 */
export const QDRANT_SNAPSHOTS_PATH = "/qdrant/snapshots";
export const QDRANT_SNAPSHOT_PREFIX = "qdrant/snapshots";

/** Where snapshots go in production: the backups bucket, reached through the role on the service account. */
export interface SnapshotTarget {
  readonly bucket: string;
  readonly region: string;
  readonly roleArn: string;
}

export interface QdrantValuesInput {
  readonly profile: QdrantProfile;
  readonly storageClass: string;
  /** Absent: snapshots stay on the pod's volume. */
  readonly snapshots?: SnapshotTarget;
}

/** PodMonitor spec for Qdrant's /metrics, authenticated with the API key from its Secret. */
export function qdrantPodMonitorSpec(): Record<string, unknown> {
  return {
    selector: { matchLabels: { "app.kubernetes.io/name": QDRANT_NAME } },
    podMetricsEndpoints: [
      {
        port: "http",
        path: "/metrics",
        authorization: { type: "Bearer", credentials: { name: QDRANT_API_KEY_SECRET.name, key: QDRANT_API_KEY_SECRET.key } },
      },
    ],
  };
}

/** Values for the qdrant/qdrant chart (keys as in its values.yaml). */
export function qdrantValues({ profile, storageClass, snapshots }: QdrantValuesInput): Record<string, unknown> {
  const storage: Record<string, unknown> = {
    // New collections get this many copies of each shard unless they ask otherwise.
    collection: { replication_factor: profile.replicationFactor, write_consistency_factor: 1 },
    snapshots_path: QDRANT_SNAPSHOTS_PATH,
  };
  if (snapshots !== undefined) {
    // No keys in the config: the S3 client takes the web identity token IRSA mounts.
    storage["snapshots_config"] = { snapshots_storage: "s3", s3_config: { bucket: snapshots.bucket, region: snapshots.region } };
  }
  return {
    fullnameOverride: QDRANT_NAME,
    replicaCount: profile.replicas,
    resources: resources(profile.cpu, profile.memory),
    persistence: { accessModes: ["ReadWriteOnce"], size: `${profile.storageGb}Gi`, storageClassName: storageClass },
    // Qdrant reads QDRANT__SERVICE__API_KEY; the chart's own apiKey.valueFrom resolves the Secret with
    // Helm `lookup`, which renders empty without a live cluster and would start Qdrant with no key.
    env: [{ name: "QDRANT__SERVICE__API_KEY", valueFrom: { secretKeyRef: { name: QDRANT_API_KEY_SECRET.name, key: QDRANT_API_KEY_SECRET.key } } }],
    config: { cluster: { enabled: true, p2p: { port: 6335 }, consensus: { tick_period_ms: 100 } }, storage },
    // Scraped by the PodMonitor in qdrant.ts, which presents the API key (/metrics requires it).
    metrics: { serviceMonitor: { enabled: false } },
    podDisruptionBudget: { enabled: profile.replicas > 1, maxUnavailable: 1 },
    // Replicas in different AZs, so a zone outage leaves a copy of every shard (replication factor 2+).
    topologySpreadConstraints:
      profile.replicas > 1
        ? [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": QDRANT_NAME } } }]
        : [],
    serviceAccount: { annotations: snapshots === undefined ? {} : irsaAnnotation(snapshots.roleArn) },
  };
}

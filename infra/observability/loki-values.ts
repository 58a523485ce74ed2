import { resources } from "../config/sections/kube-quantities";
import type { ObservabilityProfile } from "../config/sections/observability";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { LOG_PREFIXES, NAMES, SERVICE_ACCOUNTS } from "./names";

export interface LokiValuesInput {
  readonly profile: ObservabilityProfile;
  readonly storageClass: string;
  readonly bucket: string;
  readonly region: string;
  readonly roleArn: string;
}

/** Replica counts per Loki target for the profile's mode: the unused mode's targets are scaled to zero. */
export function lokiReplicas(p: ObservabilityProfile): { singleBinary: number; read: number; write: number; backend: number } {
  const scalable = p.lokiMode === "SimpleScalable";
  return {
    singleBinary: scalable ? 0 : p.lokiReplicas,
    read: scalable ? p.lokiReplicas : 0,
    write: scalable ? p.lokiReplicas : 0,
    backend: scalable ? p.lokiReplicas : 0,
  };
}

/** Values for the grafana-community/loki chart: one tenant, TSDB index and chunks under the `loki` prefix of the logs bucket. */
export function lokiValues(input: LokiValuesInput): Record<string, unknown> {
  const { profile: p, storageClass, bucket, region } = input;
  const replicas = lokiReplicas(p);
  const size = resources(p.lokiCpu, p.lokiMemory);
  const volume = { enabled: true, storageClass, size: `${p.lokiStorageGb}Gi` };
  return {
    fullnameOverride: NAMES.loki,
    deploymentMode: p.lokiMode,
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: Math.min(p.lokiReplicas, 3) },
      schemaConfig: {
        configs: [{ from: "2024-04-01", store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
      storage: {
        type: "s3",
        bucketNames: { chunks: bucket, ruler: bucket, admin: bucket },
        // The Thanos object client is the one that supports a key prefix, so Loki shares the logs bucket.
        use_thanos_objstore: true,
        object_store: { type: "s3", storage_prefix: LOG_PREFIXES.loki, s3: { endpoint: `s3.${region}.amazonaws.com`, region } },
      },
      limits_config: { retention_period: `${p.lokiRetentionDays * 24}h` },
      compactor: { retention_enabled: true, delete_request_store: "s3" },
    },
    serviceAccount: { create: true, name: SERVICE_ACCOUNTS.loki, annotations: irsaAnnotation(input.roleArn) },
    singleBinary: { replicas: replicas.singleBinary, resources: size, persistence: volume },
    write: { replicas: replicas.write, resources: size, persistence: volume },
    read: { replicas: replicas.read, resources: size },
    backend: { replicas: replicas.backend, resources: size, persistence: volume },
    // Memcached caches reserve gigabytes each; the tiers here do without.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

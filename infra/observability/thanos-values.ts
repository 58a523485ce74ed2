import { resources } from "../config/sections/kube-quantities";
import type { ObservabilityProfile } from "../config/sections/observability";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { NAMES, SERVICE_ACCOUNTS, URLS } from "./names";

export interface ThanosValuesInput {
  readonly profile: ObservabilityProfile;
  readonly storageClass: string;
  readonly objstore: Record<string, unknown>;
  readonly storeRoleArn: string;
  readonly compactRoleArn: string;
}

/** Compactor retention flags per resolution, from the profile. */
export function compactorRetentionArgs(p: ObservabilityProfile): string[] {
  return [
    `--retention.resolution-raw=${p.thanosRawRetentionDays}d`,
    `--retention.resolution-5m=${p.thanos5mRetentionDays}d`,
    `--retention.resolution-1h=${p.thanos1hRetentionDays}d`,
  ];
}

/** Values for the stevehipwell/thanos chart: query over the sidecars and the store gateway, a compactor on the bucket. */
export function thanosValues(input: ThanosValuesInput): Record<string, unknown> {
  const { profile: p, storageClass } = input;
  const volume = (gb: number) => ({ enabled: true, storageClass, size: `${gb}Gi` });
  return {
    fullnameOverride: NAMES.thanos,
    objstoreConfig: { create: true, value: input.objstore },
    additionalEndpoints: [URLS.thanosSidecars],
    // Prometheus HA pairs differ only in this label; query and compactor deduplicate on it.
    additionalReplicaLabels: ["prometheus_replica"],
    serviceMonitor: { enabled: true },
    query: { enabled: true, replicas: p.prometheusReplicas, resources: resources("200m", "512Mi") },
    storeGateway: {
      enabled: true,
      replicas: 1,
      serviceAccount: { create: true, name: SERVICE_ACCOUNTS.thanosStore, annotations: irsaAnnotation(input.storeRoleArn) },
      resources: resources("200m", "1Gi"),
      persistence: volume(10),
    },
    compact: {
      enabled: true,
      serviceAccount: { create: true, name: SERVICE_ACCOUNTS.thanosCompact, annotations: irsaAnnotation(input.compactRoleArn) },
      extraArgs: compactorRetentionArgs(p),
      resources: resources("200m", "1Gi"),
      persistence: volume(20),
    },
  };
}

import { resources } from "../config/sections/kube-quantities";
import type { ObservabilityProfile, TempoMode } from "../config/sections/observability";
import { NAMESPACES } from "../contracts";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { LOG_PREFIXES, NAMES, SERVICE_ACCOUNTS } from "./names";

export interface TempoValuesInput {
  readonly profile: ObservabilityProfile;
  readonly storageClass: string;
  readonly bucket: string;
  readonly region: string;
  readonly roleArn: string;
}

const host = (service: string) => `${service}.${NAMESPACES.observability}.svc.cluster.local`;

/** Where Grafana queries traces and where apps send OTLP, per mode (the services differ). */
export function tempoEndpoints(mode: TempoMode): { queryUrl: string; otlpGrpc: string } {
  return mode === "Monolithic"
    ? { queryUrl: `http://${host(NAMES.tempo)}:3200`, otlpGrpc: `${host(NAMES.tempo)}:4317` }
    : { queryUrl: `http://${host(`${NAMES.tempo}-query-frontend`)}:3200`, otlpGrpc: `${host(`${NAMES.tempo}-distributor`)}:4317` };
}

/** Traces under the `tempo` prefix of the logs bucket; no keys, the SDK uses the IRSA web identity. */
const s3 = (bucket: string, region: string) => ({ bucket, region, endpoint: `s3.${region}.amazonaws.com`, prefix: LOG_PREFIXES.tempo });

/**
 * Values for the grafana-community/tempo chart (one binary). Its WAL volume takes the default
 * StorageClass (gp3): the chart has no storage class key.
 */
export function tempoMonolithicValues(input: TempoValuesInput): Record<string, unknown> {
  const { profile: p } = input;
  return {
    fullnameOverride: NAMES.tempo,
    replicas: 1,
    tempo: {
      reportingEnabled: false,
      retention: `${p.tempoRetentionHours}h`,
      resources: resources(p.tempoCpu, p.tempoMemory),
      storage: { trace: { backend: "s3", s3: s3(input.bucket, input.region), wal: { path: "/var/tempo/wal" } } },
    },
    persistence: { enabled: true, size: `${p.tempoStorageGb}Gi` },
    serviceAccount: { create: true, name: SERVICE_ACCOUNTS.tempo, annotations: irsaAnnotation(input.roleArn) },
    serviceMonitor: { enabled: true },
  };
}

/** Values for the grafana-community/tempo-distributed chart: replicated ingesters, OTLP in, one compactor applying retention. */
export function tempoDistributedValues(input: TempoValuesInput): Record<string, unknown> {
  const { profile: p } = input;
  const size = resources(p.tempoCpu, p.tempoMemory);
  const replicated = { replicas: p.tempoReplicas, resources: size };
  return {
    fullnameOverride: NAMES.tempo,
    reportingEnabled: false,
    serviceAccount: { create: true, name: SERVICE_ACCOUNTS.tempo, annotations: irsaAnnotation(input.roleArn) },
    storage: { trace: { backend: "s3", s3: s3(input.bucket, input.region) } },
    traces: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
    ingester: {
      ...replicated,
      persistence: { enabled: true, storageClass: input.storageClass, size: `${p.tempoStorageGb}Gi` },
      config: { replication_factor: Math.min(p.tempoReplicas, 3) },
    },
    distributor: replicated,
    querier: replicated,
    queryFrontend: replicated,
    compactor: { replicas: 1, resources: size, config: { compaction: { block_retention: `${p.tempoRetentionHours}h` } } },
    metaMonitoring: { serviceMonitor: { enabled: true } },
  };
}

export const tempoValues = (input: TempoValuesInput): Record<string, unknown> =>
  input.profile.tempoMode === "Monolithic" ? tempoMonolithicValues(input) : tempoDistributedValues(input);

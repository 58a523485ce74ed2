import { bool, int, oneOf, section, text } from "../fields";
import { cpu, memory } from "./kube-quantities";

export const LOKI_MODES = ["SingleBinary", "SimpleScalable"] as const;
export type LokiMode = (typeof LOKI_MODES)[number];

export const TEMPO_MODES = ["Monolithic", "Distributed"] as const;
export type TempoMode = (typeof TEMPO_MODES)[number];

export interface ObservabilityProfile {
  prometheusReplicas: number;
  /** Local TSDB retention (Prometheus duration). With Thanos on, older data is served from S3. */
  prometheusRetention: string;
  prometheusStorageGb: number;
  prometheusCpu: string;
  prometheusMemory: string;
  alertmanagerReplicas: number;
  grafanaReplicas: number;
  /** Thanos sidecar, store, query and compactor on the logs bucket. */
  thanos: boolean;
  thanosRawRetentionDays: number;
  thanos5mRetentionDays: number;
  thanos1hRetentionDays: number;
  lokiMode: LokiMode;
  /** Replicas of the single binary, or of each read/write/backend target. */
  lokiReplicas: number;
  lokiRetentionDays: number;
  lokiStorageGb: number;
  lokiCpu: string;
  lokiMemory: string;
  /** Grafana Alloy pods tailing every pod's log through the API into Loki (clustered when more than one). */
  logAgentReplicas: number;
  /** One binary (grafana-community/tempo) or microservices (tempo-distributed). */
  tempoMode: TempoMode;
  /** Distributed mode: replicas of the ingester, distributor, querier and query frontend. */
  tempoReplicas: number;
  tempoRetentionHours: number;
  tempoStorageGb: number;
  tempoCpu: string;
  tempoMemory: string;
  /** Messages a consumer group may trail its topic by before KafkaConsumerLagHigh fires. */
  alertConsumerLag: number;
  /** Percentage of ingestion requests answered 5xx that pages (IngestionErrorRatioHigh). */
  alertIngestionErrorPercent: number;
}

const duration = text(/^\d+(h|d|w)$/, "a Prometheus duration such as 12h, 15d or 2w");

export const observability = section<ObservabilityProfile>({
  fields: {
    prometheusReplicas: int(1, 5),
    prometheusRetention: duration,
    prometheusStorageGb: int(1, 16000),
    prometheusCpu: cpu(),
    prometheusMemory: memory(),
    alertmanagerReplicas: int(1, 5),
    grafanaReplicas: int(1, 5),
    thanos: bool(),
    thanosRawRetentionDays: int(1, 3653),
    thanos5mRetentionDays: int(1, 3653),
    thanos1hRetentionDays: int(1, 3653),
    lokiMode: oneOf(...LOKI_MODES),
    lokiReplicas: int(1, 20),
    lokiRetentionDays: int(1, 3653),
    lokiStorageGb: int(1, 16000),
    lokiCpu: cpu(),
    lokiMemory: memory(),
    logAgentReplicas: int(1, 10),
    tempoMode: oneOf(...TEMPO_MODES),
    tempoReplicas: int(1, 20),
    tempoRetentionHours: int(1, 8760),
    tempoStorageGb: int(1, 16000),
    tempoCpu: cpu(),
    tempoMemory: memory(),
    alertConsumerLag: int(1, 100_000_000),
    alertIngestionErrorPercent: int(1, 100),
  },
  // Fits next to the platform on three t3.medium nodes (infra/capacity): one of everything, short local retention, no Thanos.
  free: {
    prometheusReplicas: 1,
    prometheusRetention: "7d",
    prometheusStorageGb: 10,
    prometheusCpu: "200m",
    prometheusMemory: "768Mi",
    alertmanagerReplicas: 1,
    grafanaReplicas: 1,
    thanos: false,
    thanosRawRetentionDays: 7,
    thanos5mRetentionDays: 7,
    thanos1hRetentionDays: 7,
    lokiMode: "SingleBinary",
    lokiReplicas: 1,
    lokiRetentionDays: 7,
    lokiStorageGb: 5,
    lokiCpu: "100m",
    lokiMemory: "256Mi",
    logAgentReplicas: 1,
    tempoMode: "Monolithic",
    tempoReplicas: 1,
    tempoRetentionHours: 24,
    tempoStorageGb: 5,
    tempoCpu: "100m",
    tempoMemory: "256Mi",
    alertConsumerLag: 10_000,
    alertIngestionErrorPercent: 5,
  },
  // HA pairs; Prometheus keeps two days locally and Thanos serves the rest from S3, downsampled.
  production: {
    prometheusReplicas: 2,
    prometheusRetention: "2d",
    prometheusStorageGb: 100,
    prometheusCpu: "1",
    prometheusMemory: "4Gi",
    alertmanagerReplicas: 3,
    grafanaReplicas: 2,
    thanos: true,
    thanosRawRetentionDays: 30,
    thanos5mRetentionDays: 90,
    thanos1hRetentionDays: 90,
    lokiMode: "SimpleScalable",
    lokiReplicas: 3,
    lokiRetentionDays: 30,
    lokiStorageGb: 20,
    lokiCpu: "500m",
    lokiMemory: "1Gi",
    logAgentReplicas: 2,
    tempoMode: "Distributed",
    tempoReplicas: 3,
    tempoRetentionHours: 168,
    tempoStorageGb: 20,
    // Per pod, for each of the 13 Tempo pods: 500m/2Gi each was 26 GiB of requests for traces alone.
    tempoCpu: "250m",
    tempoMemory: "1Gi",
    alertConsumerLag: 10_000,
    alertIngestionErrorPercent: 1,
  },
});

/** Secret stack config (`gamemetrics:<key>`, set with `pulumi config set --secret`) for Alertmanager receivers. */
export const ALERT_RECEIVER_KEYS = { slack: "slackWebhookUrl", pagerduty: "pagerdutyRoutingKey" } as const;
export type AlertReceiver = keyof typeof ALERT_RECEIVER_KEYS;

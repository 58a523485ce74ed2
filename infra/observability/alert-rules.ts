import { NAMESPACES } from "../contracts";
import { TOPICS } from "../kafka/topics";
import { METRICS } from "./metrics";

/** One Prometheus alerting rule, as PrometheusRule `spec.groups[].rules[]` takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "warning" | "critical" };
  readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

export interface AlertThresholds {
  /** Messages a consumer group may trail a topic by before anyone is told. */
  readonly consumerLag: number;
  /** Share of ingestion requests answered 5xx that pages. */
  readonly ingestionErrorRatio: number;
  /** RDS allocated storage, to turn "10% free" into bytes (CloudWatch reports free bytes only). */
  readonly rdsAllocatedGb: number;
}

/** Platform namespaces whose crash-looping pods alert (the Kubernetes default rules cover the rest). */
const WATCHED_NAMESPACES = [NAMESPACES.apps, NAMESPACES.kafka, NAMESPACES.data, NAMESPACES.observability, NAMESPACES.platform];

const GIB = 1024 ** 3;

/** Free-storage threshold in bytes for a fraction of the allocated size. */
export function rdsFreeStorageThresholdBytes(allocatedGb: number, fraction: number): number {
  return Math.round(allocatedGb * GIB * fraction);
}

const rule = (alert: string, expr: string, forDuration: string, severity: AlertRule["labels"]["severity"], summary: string, description: string): AlertRule => ({
  alert,
  expr,
  for: forDuration,
  labels: { severity },
  annotations: { summary, description },
});

/** The platform's alert rules: the event path (lag, DLQ, ingestion errors), pods, and the database's disk. */
export function platformAlertRules(t: AlertThresholds): RuleGroup[] {
  const { ingestion, kafka, rds, kube, users } = METRICS;
  const dlq = TOPICS.dlq.name;
  return [
    {
      name: "gamemetrics.event-path",
      rules: [
        rule(
          "KafkaConsumerLagHigh",
          `sum by (consumergroup, topic) (${kafka.consumerLag}) > ${t.consumerLag}`,
          "10m",
          "warning",
          "Consumer group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.topic }}",
          `Lag above ${t.consumerLag} for 10 minutes: the consumers are slower than the producers or stuck.`,
        ),
        rule(
          "DeadLetterQueueGrowing",
          `sum(increase(${kafka.topicOffset}{topic="${dlq}"}[15m])) > 0`,
          "5m",
          "warning",
          `{{ $value }} messages reached ${dlq} in the last 15 minutes`,
          `Poison messages are being dead-lettered to ${dlq}; each carries its reason.`,
        ),
        rule(
          "IngestionErrorRatioHigh",
          `sum(rate(${ingestion.requests}{status=~"5.."}[5m])) / sum(rate(${ingestion.requests}[5m])) > ${t.ingestionErrorRatio}`,
          "5m",
          "critical",
          "{{ $value | humanizePercentage }} of ingestion requests fail with 5xx",
          "Clients are told their events were not stored (usually Kafka unavailable); they must retry.",
        ),
      ],
    },
    {
      name: "gamemetrics.workloads",
      rules: [
        rule(
          "PlatformPodCrashLooping",
          `max by (namespace, pod, container) (${kube.waitingReason}{reason="CrashLoopBackOff", namespace=~"${WATCHED_NAMESPACES.join("|")}"}) >= 1`,
          "15m",
          "warning",
          "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping",
          "The container has been restarting in CrashLoopBackOff for 15 minutes.",
        ),
      ],
    },
    {
      name: "gamemetrics.identity",
      rules: [
        rule(
          "GdprRequestSlaAtRisk",
          `min by (kind) (${users.gdprSecondsToDue}) < ${7 * 86_400}`,
          "15m",
          "warning",
          "A GDPR {{ $labels.kind }} request is due in {{ $value | humanizeDuration }}",
          "The oldest open request lapses its SLA within a week; see its per-store status (GET /v1/gdpr/requests/<id>) for the store that keeps failing or waiting.",
        ),
        rule(
          "GdprRequestSlaLapsing",
          `min by (kind) (${users.gdprSecondsToDue}) < 86400`,
          "5m",
          "critical",
          "A GDPR {{ $labels.kind }} request is due in {{ $value | humanizeDuration }} (negative: overdue)",
          "A request is about to miss, or has missed, its legal deadline.",
        ),
        rule(
          "AuditChainNotAnchored",
          `sum(increase(${users.auditAnchors}{outcome="refused"}[2h])) > 0`,
          "0m",
          "critical",
          "The audit chain fails verification and was not anchored",
          "Someone changed audit_log rows or the newest Object Lock anchor no longer matches: run `npm run audit -- verify`.",
        ),
      ],
    },
    {
      name: "gamemetrics.datastores",
      rules: [
        rule(
          "RdsFreeStorageLow",
          `min by (dimension_DBInstanceIdentifier) (${rds.freeStorage}) < ${rdsFreeStorageThresholdBytes(t.rdsAllocatedGb, 0.1)}`,
          "15m",
          "warning",
          "RDS {{ $labels.dimension_DBInstanceIdentifier }} has {{ $value | humanize1024 }}B free",
          `Less than 10% of the ${t.rdsAllocatedGb} GB allocated is free; storage autoscaling may be at its maximum.`,
        ),
        rule(
          "RdsFreeStorageCritical",
          `min by (dimension_DBInstanceIdentifier) (${rds.freeStorage}) < ${rdsFreeStorageThresholdBytes(t.rdsAllocatedGb, 0.05)}`,
          "5m",
          "critical",
          "RDS {{ $labels.dimension_DBInstanceIdentifier }} has {{ $value | humanize1024 }}B free",
          `Less than 5% of the ${t.rdsAllocatedGb} GB allocated is free; writes stop when it is full.`,
        ),
      ],
    },
  ];
}

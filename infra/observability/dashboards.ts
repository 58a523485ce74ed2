import { TOPICS } from "../kafka/topics";
import { METRICS } from "./metrics";

/** Grafana's uid for the Prometheus datasource kube-prometheus-stack provisions. */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

export interface Query {
  readonly expr: string;
  readonly legend: string;
}

/** A panel before layout: what to plot and in which unit (Grafana unit ids). */
export interface PanelSpec {
  readonly title: string;
  readonly kind: "timeseries" | "stat";
  readonly unit: string;
  readonly queries: readonly Query[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  /** Rows of panels; each row shares the 24-column grid equally. */
  readonly rows: readonly (readonly PanelSpec[])[];
}

const q = (expr: string, legend: string): Query => ({ expr, legend });
const series = (title: string, unit: string, ...queries: Query[]): PanelSpec => ({ title, kind: "timeseries", unit, queries });
const stat = (title: string, unit: string, query: Query): PanelSpec => ({ title, kind: "stat", unit, queries: [query] });

const GRID_WIDTH = 24;
const PANEL_HEIGHT = 8;

/** Grafana dashboard JSON (schema 39) laid out row by row. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  let id = 0;
  const panels = spec.rows.flatMap((row, rowIndex) => {
    const width = Math.floor(GRID_WIDTH / row.length);
    return row.map((panel, col) => ({
      id: ++id,
      type: panel.kind,
      title: panel.title,
      gridPos: { x: col * width, y: rowIndex * PANEL_HEIGHT, w: width, h: PANEL_HEIGHT },
      datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
      targets: panel.queries.map((query, i) => ({
        refId: String.fromCharCode(65 + i),
        expr: query.expr,
        legendFormat: query.legend,
        datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
      })),
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      options: {},
    }));
  });
  return {
    uid: spec.uid,
    title: spec.title,
    tags: ["gamemetrics"],
    timezone: "utc",
    schemaVersion: 39,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    editable: false,
    panels,
  };
}

const { ingestion, processor, kafka, rds, redis } = METRICS;
const rate = (metric: string, by: string, selector = "") => `sum by (${by}) (rate(${metric}${selector}[5m]))`;

/** The platform dashboards: the event path end to end, and the managed data stores. */
export const PLATFORM_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: "gm-ingestion",
    title: "GameMetrics / Ingestion",
    rows: [
      [
        series("Requests by status", "reqps", q(rate(ingestion.requests, "status"), "{{status}}")),
        series("Events accepted by type", "ops", q(rate(ingestion.accepted, "type"), "{{type}}")),
        series("Events rejected by reason", "ops", q(rate(ingestion.rejected, "reason"), "{{reason}}")),
      ],
      [
        stat(
          "5xx ratio",
          "percentunit",
          q(`sum(rate(${ingestion.requests}{status=~"5.."}[5m])) / sum(rate(${ingestion.requests}[5m]))`, "5xx"),
        ),
        series(
          "Produce latency (acks=all)",
          "s",
          q(`histogram_quantile(0.5, sum by (le) (rate(${ingestion.produceLatency}_bucket[5m])))`, "p50"),
          q(`histogram_quantile(0.99, sum by (le) (rate(${ingestion.produceLatency}_bucket[5m])))`, "p99"),
        ),
      ],
    ],
  },
  {
    uid: "gm-event-path",
    title: "GameMetrics / Kafka consumers and DLQ",
    rows: [
      [
        series("Consumer lag by group and topic", "short", q(`sum by (consumergroup, topic) (${kafka.consumerLag})`, "{{consumergroup}} / {{topic}}")),
        series("Events stored by the processor", "ops", q(`sum(rate(${processor.stored}[5m]))`, "stored")),
      ],
      [
        series("DLQ rate (messages into the topic)", "ops", q(`sum(rate(${kafka.topicOffset}{topic="${TOPICS.dlq.name}"}[5m]))`, TOPICS.dlq.name)),
        series("Processor DLQ by reason", "ops", q(rate(processor.dlq, "reason"), "{{reason}}")),
      ],
    ],
  },
  {
    uid: "gm-datastores",
    title: "GameMetrics / PostgreSQL and Redis",
    rows: [
      [
        series("RDS free storage", "bytes", q(`min by (dimension_DBInstanceIdentifier) (${rds.freeStorage})`, "{{dimension_DBInstanceIdentifier}}")),
        series("RDS CPU", "percent", q(`max by (dimension_DBInstanceIdentifier) (${rds.cpu})`, "{{dimension_DBInstanceIdentifier}}")),
        series("RDS connections", "short", q(`sum by (dimension_DBInstanceIdentifier) (${rds.connections})`, "{{dimension_DBInstanceIdentifier}}")),
      ],
      [
        series("Redis CPU", "percent", q(`max by (dimension_CacheClusterId) (${redis.cpu})`, "{{dimension_CacheClusterId}}")),
        series("Redis memory used", "percent", q(`max by (dimension_CacheClusterId) (${redis.memory})`, "{{dimension_CacheClusterId}}")),
        series("Redis evictions", "short", q(`sum by (dimension_CacheClusterId) (${redis.evictions})`, "{{dimension_CacheClusterId}}")),
      ],
    ],
  },
];

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface NotificationsMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  accepted: Counter<"source" | "outcome">;
  intakeDlq: Counter<"reason">;
  sent: Counter<"channel" | "provider">;
  failed: Counter<"channel" | "kind" | "reason">;
  retried: Counter<"channel" | "reason">;
  deadLettered: Counter<"channel" | "reason">;
  suppressed: Counter<"channel" | "reason">;
  deferred: Counter<"channel" | "reason">;
  latency: Histogram<"channel">;
  attemptSeconds: Histogram<"channel" | "provider">;
  breaker: Gauge<"provider">;
  queue: Gauge<"state">;
  inAppConnections: Gauge;
}

export function createNotificationsMetrics(): NotificationsMetrics {
  const registry = createRegistry("notifications");
  const registers = [registry];
  return {
    registry,
    requests: new Counter({ name: "notifications_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "method", "status"], registers }),
    accepted: new Counter({ name: "notifications_requests_total", help: "Notification requests by source and outcome (accepted, duplicate, conflict, invalid, suppressed)", labelNames: ["source", "outcome"], registers }),
    intakeDlq: new Counter({ name: "notifications_intake_dlq_total", help: "Records of the notifications and processed topics sent to the DLQ", labelNames: ["reason"], registers }),
    sent: new Counter({ name: "notifications_sent_total", help: "Deliveries a provider accepted", labelNames: ["channel", "provider"], registers }),
    failed: new Counter({ name: "notifications_failed_total", help: "Attempts that failed, by kind (transient, permanent) and reason", labelNames: ["channel", "kind", "reason"], registers }),
    retried: new Counter({ name: "notifications_retried_total", help: "Deliveries scheduled for another attempt", labelNames: ["channel", "reason"], registers }),
    deadLettered: new Counter({ name: "notifications_dead_lettered_total", help: "Deliveries given up and sent to system.dlq", labelNames: ["channel", "reason"], registers }),
    suppressed: new Counter({ name: "notifications_suppressed_total", help: "Deliveries not sent because of consent or preferences", labelNames: ["channel", "reason"], registers }),
    deferred: new Counter({ name: "notifications_deferred_total", help: "Deliveries put back without an attempt (quiet hours, open breaker)", labelNames: ["channel", "reason"], registers }),
    latency: new Histogram({
      name: "notifications_delivery_latency_seconds",
      help: "From the request being accepted to the provider accepting the delivery",
      labelNames: ["channel"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    }),
    attemptSeconds: new Histogram({ name: "notifications_attempt_seconds", help: "Duration of one send to a provider", labelNames: ["channel", "provider"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers }),
    breaker: new Gauge({ name: "notifications_breaker_state", help: "Circuit breaker per provider: 0 closed, 0.5 half-open, 1 open", labelNames: ["provider"], registers }),
    queue: new Gauge({ name: "notifications_queue_deliveries", help: "Deliveries waiting in the due-time table: due now, or due later", labelNames: ["state"], registers }),
    inAppConnections: new Gauge({ name: "notifications_in_app_connections", help: "WebSocket clients connected to this pod", registers }),
  };
}

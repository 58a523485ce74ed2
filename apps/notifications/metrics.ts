import { serviceMetrics } from "../shared/metrics";

export type NotificationsMetrics = ReturnType<typeof createNotificationsMetrics>;

export function createNotificationsMetrics() {
  return serviceMetrics("notifications", (m) => ({
    requests: m.httpRequests({ name: "notifications_http_requests_total" }),
    accepted: m.counter({ name: "notifications_requests_total", help: "Notification requests by source and outcome (accepted, duplicate, conflict, invalid, suppressed)", labelNames: ["source", "outcome"] }),
    intakeDlq: m.counter({ name: "notifications_intake_dlq_total", help: "Records of the notifications and processed topics sent to the DLQ", labelNames: ["reason"] }),
    sent: m.counter({ name: "notifications_sent_total", help: "Deliveries a provider accepted", labelNames: ["channel", "provider"] }),
    failed: m.counter({ name: "notifications_failed_total", help: "Attempts that failed, by kind (transient, permanent) and reason", labelNames: ["channel", "kind", "reason"] }),
    retried: m.counter({ name: "notifications_retried_total", help: "Deliveries scheduled for another attempt", labelNames: ["channel", "reason"] }),
    deadLettered: m.counter({ name: "notifications_dead_lettered_total", help: "Deliveries given up and sent to system.dlq", labelNames: ["channel", "reason"] }),
    suppressed: m.counter({ name: "notifications_suppressed_total", help: "Deliveries not sent because of consent or preferences", labelNames: ["channel", "reason"] }),
    deferred: m.counter({ name: "notifications_deferred_total", help: "Deliveries put back without an attempt (quiet hours, open breaker)", labelNames: ["channel", "reason"] }),
    latency: m.histogram({
      name: "notifications_delivery_latency_seconds",
      help: "From the request being accepted to the provider accepting the delivery",
      labelNames: ["channel"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    }),
    attemptSeconds: m.histogram({ name: "notifications_attempt_seconds", help: "Duration of one send to a provider", labelNames: ["channel", "provider"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] }),
    breaker: m.gauge({ name: "notifications_breaker_state", help: "Circuit breaker per provider: 0 closed, 0.5 half-open, 1 open", labelNames: ["provider"] }),
    queue: m.gauge({ name: "notifications_queue_deliveries", help: "Deliveries waiting in the due-time table: due now, or due later", labelNames: ["state"] }),
    inAppConnections: m.gauge({ name: "notifications_in_app_connections", help: "WebSocket clients connected to this pod" }),
  }));
}

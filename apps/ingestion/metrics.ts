import { serviceMetrics } from "../shared/metrics";

export type IngestionMetrics = ReturnType<typeof createIngestionMetrics>;

export function createIngestionMetrics() {
  return serviceMetrics("ingestion", (m) => ({
    requests: m.httpRequests({ name: "ingestion_http_requests_total" }),
    accepted: m.counter({ name: "ingestion_events_accepted_total", help: "Events acknowledged by Kafka (acks=all) and answered 202", labelNames: ["type"] }),
    rejected: m.counter({ name: "ingestion_events_rejected_total", help: "Events not accepted, by reason", labelNames: ["reason"] }),
    suppressed: m.counter({ name: "ingestion_events_suppressed_total", help: "Events of erased or non-consenting players, acknowledged and dropped (GDPR)" }),
    produceLatency: m.histogram({
      name: "ingestion_produce_latency_seconds",
      help: "Time from handing events to the producer until acks=all",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    redisUp: m.gauge({ name: "ingestion_redis_up", help: "1 when the last rate-limit check reached Redis, 0 while it is away (the limit is skipped)" }),
    redisErrors: m.counter({ name: "ingestion_redis_errors_total", help: "Rate-limit checks skipped because Redis did not answer" }),
  }));
}

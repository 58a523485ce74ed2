import { Counter, Histogram, Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface IngestionMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  accepted: Counter<"type">;
  rejected: Counter<"reason">;
  suppressed: Counter;
  produceLatency: Histogram;
}

export function createIngestionMetrics(): IngestionMetrics {
  const registry = createRegistry("ingestion");
  return {
    registry,
    requests: new Counter({ name: "ingestion_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "method", "status"], registers: [registry] }),
    accepted: new Counter({ name: "ingestion_events_accepted_total", help: "Events acknowledged by Kafka (acks=all) and answered 202", labelNames: ["type"], registers: [registry] }),
    rejected: new Counter({ name: "ingestion_events_rejected_total", help: "Events not accepted, by reason", labelNames: ["reason"], registers: [registry] }),
    suppressed: new Counter({ name: "ingestion_events_suppressed_total", help: "Events of erased or non-consenting players, acknowledged and dropped (GDPR)", registers: [registry] }),
    produceLatency: new Histogram({
      name: "ingestion_produce_latency_seconds",
      help: "Time from handing events to the producer until acks=all",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

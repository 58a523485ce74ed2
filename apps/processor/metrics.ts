import { serviceMetrics } from "../shared/metrics";

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;

export function createProcessorMetrics() {
  return serviceMetrics("processor", (m) => ({
    stored: m.counter({ name: "processor_events_stored_total", help: "Events newly written to player_events" }),
    duplicates: m.counter({ name: "processor_events_duplicate_total", help: "Redelivered or retried events already stored" }),
    dlq: m.counter({ name: "processor_events_dlq_total", help: "Poison records sent to the DLQ, by reason", labelNames: ["reason"] }),
    batchSeconds: m.histogram({ name: "processor_batch_seconds", help: "Time to store one batch" }),
    /** Batches PostgreSQL refused as a whole, by kind: data (isolated, then stored) or unavailable (retried). */
    dbErrors: m.counter({ name: "processor_db_errors_total", help: "Batches the database refused, by kind (data: isolated to the DLQ; unavailable: retried)", labelNames: ["kind"] }),
    lag: m.gauge({ name: "processor_consumer_lag", help: "Records of player.events.raw not yet committed by the group, per partition", labelNames: ["partition"] }),
    /** 1 while the current batch keeps failing (nothing is committed): what readiness reports. */
    stalled: m.gauge({ name: "processor_stalled", help: "1 while the current batch keeps failing and nothing is committed" }),
    republishFailures: m.counter({ name: "processor_republish_failures_total", help: "Failed attempts to publish to player.events.processed (retried until they succeed)" }),
  }));
}

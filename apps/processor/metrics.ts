import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface ProcessorMetrics {
  registry: Registry;
  stored: Counter;
  duplicates: Counter;
  dlq: Counter<"reason">;
  batchSeconds: Histogram;
  /** Batches PostgreSQL refused as a whole, by kind: data (isolated, then stored) or unavailable (retried). */
  dbErrors: Counter<"kind">;
  lag: Gauge<"partition">;
  /** 1 while the current batch keeps failing (nothing is committed): what readiness reports. */
  stalled: Gauge;
  republishFailures: Counter;
}

export function createProcessorMetrics(): ProcessorMetrics {
  const registry = createRegistry("processor");
  const r = [registry];
  return {
    registry,
    stored: new Counter({ name: "processor_events_stored_total", help: "Events newly written to player_events", registers: r }),
    duplicates: new Counter({ name: "processor_events_duplicate_total", help: "Redelivered or retried events already stored", registers: r }),
    dlq: new Counter({ name: "processor_events_dlq_total", help: "Poison records sent to the DLQ, by reason", labelNames: ["reason"], registers: r }),
    batchSeconds: new Histogram({ name: "processor_batch_seconds", help: "Time to store one batch", registers: r }),
    dbErrors: new Counter({ name: "processor_db_errors_total", help: "Batches the database refused, by kind (data: isolated to the DLQ; unavailable: retried)", labelNames: ["kind"], registers: r }),
    lag: new Gauge({ name: "processor_consumer_lag", help: "Records of player.events.raw not yet committed by the group, per partition", labelNames: ["partition"], registers: r }),
    stalled: new Gauge({ name: "processor_stalled", help: "1 while the current batch keeps failing and nothing is committed", registers: r }),
    republishFailures: new Counter({ name: "processor_republish_failures_total", help: "Failed attempts to publish to player.events.processed (retried until they succeed)", registers: r }),
  };
}

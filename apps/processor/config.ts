import { CommonConfig, ConsumerGroup, consumerGroup, int, ListenAddress, listenAddress, loadServiceConfig } from "../shared/config";

export interface ProcessorConfig extends CommonConfig, ConsumerGroup {
  /** Where /healthz, /readyz and /metrics are served. */
  ops: ListenAddress;
  /** Kafka fetch size per partition: it bounds one batch and so the memory held while it is stored. */
  fetchBytesPerPartition: number;
}

export const PROCESSOR_DEFAULTS = {
  // The group the ACLs of infra/kafka/access.ts admit (consumerGroup("processor")).
  groupId: "gamemetrics.processor",
  sessionTimeoutMs: 10_000,
  ops: { host: "127.0.0.1", port: 9091 },
  // 256 KB (~750 events of ~330 B): measured RSS peak 239 -> 161 MB against 1 MB, same throughput.
  fetchBytesPerPartition: 256 * 1024,
} as const;

export function loadProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const d = PROCESSOR_DEFAULTS;
  return loadServiceConfig(env, () => ({
    ops: listenAddress(env, "PROCESSOR_OPS_", d.ops),
    ...consumerGroup(env, { groupId: "PROCESSOR_GROUP_ID", sessionTimeoutMs: "PROCESSOR_SESSION_TIMEOUT_MS" }, d),
    fetchBytesPerPartition: int(env, "PROCESSOR_FETCH_BYTES_PER_PARTITION", d.fetchBytesPerPartition, 16 * 1024, 64 * 1024 * 1024),
  }));
}

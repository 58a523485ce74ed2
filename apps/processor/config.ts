import { CommonConfig, int, loadCommonConfig, str } from "../shared/config";

export interface ProcessorConfig extends CommonConfig {
  groupId: string;
  /** Port of /healthz, /readyz and /metrics. */
  opsPort: number;
  opsHost: string;
  /** How soon the group notices a dead processor and hands its partitions to another. */
  sessionTimeoutMs: number;
  /** Kafka fetch size per partition: it bounds one batch and so the memory held while it is stored. */
  fetchBytesPerPartition: number;
}

export const PROCESSOR_DEFAULTS = {
  // The group the ACLs of infra/kafka/access.ts admit (consumerGroup("processor")).
  groupId: "gamemetrics.processor",
  opsPort: 9091,
  opsHost: "127.0.0.1",
  sessionTimeoutMs: 10_000,
  // 256 KB (~750 events of ~330 B): measured RSS peak 239 -> 161 MB against 1 MB, same throughput.
  fetchBytesPerPartition: 256 * 1024,
} as const;

export function loadProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const d = PROCESSOR_DEFAULTS;
  return {
    ...loadCommonConfig(env),
    groupId: str(env, "PROCESSOR_GROUP_ID", d.groupId),
    opsPort: int(env, "PROCESSOR_OPS_PORT", d.opsPort, 0, 65_535),
    opsHost: str(env, "PROCESSOR_OPS_HOST", d.opsHost),
    // The broker refuses sessions outside 6-300 s (group.min/max.session.timeout.ms).
    sessionTimeoutMs: int(env, "PROCESSOR_SESSION_TIMEOUT_MS", d.sessionTimeoutMs, 6000, 300_000),
    fetchBytesPerPartition: int(env, "PROCESSOR_FETCH_BYTES_PER_PARTITION", d.fetchBytesPerPartition, 16 * 1024, 64 * 1024 * 1024),
  };
}

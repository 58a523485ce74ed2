/**
 * Metric names the dashboards and alert rules query, in one place. The app names are the prom-client
 * metrics of apps/ingestion and apps/processor (a test reads those sources so a rename cannot drift);
 * Kafka names are the Kafka exporter's; AWS names are YACE's `aws_<namespace>_<metric>_<statistic>`.
 */
export const METRICS = {
  ingestion: {
    requests: "ingestion_http_requests_total",
    accepted: "ingestion_events_accepted_total",
    rejected: "ingestion_events_rejected_total",
    produceLatency: "ingestion_produce_latency_seconds",
  },
  processor: {
    stored: "processor_events_stored_total",
    dlq: "processor_events_dlq_total",
    batchSeconds: "processor_batch_seconds",
  },
  users: {
    gdprSecondsToDue: "users_gdpr_oldest_request_seconds_to_due",
    auditAnchors: "users_audit_anchors_total",
  },
  kafka: {
    consumerLag: "kafka_consumergroup_lag",
    topicOffset: "kafka_topic_partition_current_offset",
  },
  rds: {
    freeStorage: "aws_rds_free_storage_space_average",
    cpu: "aws_rds_cpuutilization_average",
    connections: "aws_rds_database_connections_average",
  },
  redis: {
    cpu: "aws_elasticache_cpuutilization_average",
    memory: "aws_elasticache_database_memory_usage_percentage_average",
    evictions: "aws_elasticache_evictions_sum",
  },
  kube: {
    waitingReason: "kube_pod_container_status_waiting_reason",
  },
} as const;


/**
 * The platform's application services. One entry per app; ECR repositories, Kafka identities and
 * workloads are all derived from this list.
 */
export const APP_NAMES = ["ingestion", "processor", "analytics", "recommendations", "notifications", "users", "retention"] as const;
export type AppName = (typeof APP_NAMES)[number];

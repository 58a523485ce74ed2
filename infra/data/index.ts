export { DataLayer, dataStackOutputs, type DataLayerArgs } from "./data-layer";
export { BUCKET_KINDS, lifecycleRules, tlsOnlyPolicy, type BucketKind } from "./bucket-rules";
export { POSTGRES_DB_NAME, POSTGRES_MASTER_USER, type PostgresSecret } from "./postgres-settings";
export type { RedisSecret } from "./redis-settings";
export { ecrLifecyclePolicy } from "./registry";

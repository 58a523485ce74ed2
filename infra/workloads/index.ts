export { Workloads, type WorkloadsArgs } from "./layer";
export { CATALOG, type CatalogEntry, type JobEntry, type ServiceEntry } from "./catalog";
export { appEnv, KAFKA_CA_DIR, type EnvVar } from "./env";
export { callAllows, consumerCap, disruptionBudget, podTemplate, scaling, selectorLabels, topologySpread } from "./spec";
export { Workload, type WorkloadArgs } from "./workload";

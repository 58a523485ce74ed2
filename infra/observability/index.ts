export { Observability, type ObservabilityArgs } from "./observability";
export { alertingNote, configuredReceivers } from "./alerting";
export { readReceiverSecrets } from "./receiver-secrets";

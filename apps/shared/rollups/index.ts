export { applyRollups, type RollupResult } from "./live";
export type { StoredEvent } from "./model";

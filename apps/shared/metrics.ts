import { collectDefaultMetrics, Registry } from "prom-client";

/** A registry per service with the process metrics (RSS, event loop lag, GC) included. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

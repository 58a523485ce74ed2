import { collectDefaultMetrics, Counter, type CounterConfiguration, Gauge, type GaugeConfiguration, Histogram, type HistogramConfiguration, Registry } from "prom-client";

/** A registry per service with the process metrics (RSS, event loop lag, GC) included. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The labels of the request counter that createHttpApp (./http-app.ts) counts every answer under. */
export type HttpRequestLabel = "route" | "method" | "status";

type Unregistered<C> = Omit<C, "registers">;

/** Makes metrics registered in one service's registry: a service states only names, help, labels and buckets. */
export interface MetricsFactory {
  counter<L extends string = string>(c: Unregistered<CounterConfiguration<L>>): Counter<L>;
  gauge<L extends string = string>(c: Unregistered<GaugeConfiguration<L>>): Gauge<L>;
  histogram<L extends string = string>(c: Unregistered<HistogramConfiguration<L>>): Histogram<L>;
  /** The standard HTTP request counter, by route, method and status; the name is the service's own. */
  httpRequests(c: { name: string }): Counter<HttpRequestLabel>;
}

/**
 * A service's metrics: its registry plus what `define` makes with the factory. The service's metrics
 * type is what this returns, so each metric is written once, with its labels typed.
 */
export function serviceMetrics<T extends object>(service: string, define: (m: MetricsFactory) => T): Readonly<T & { registry: Registry }> {
  const registry = createRegistry(service);
  const registers = [registry];
  const m: MetricsFactory = {
    counter: (c) => new Counter({ ...c, registers }),
    gauge: (c) => new Gauge({ ...c, registers }),
    histogram: (c) => new Histogram({ ...c, registers }),
    httpRequests: ({ name }) => new Counter({ name, help: "HTTP requests by route and status", labelNames: ["route", "method", "status"], registers }),
  };
  return { registry, ...define(m) };
}

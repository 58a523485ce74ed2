// Counting the ingestion service's events from its Prometheus counters (pure): summed over their
// labels, increased over a window as Prometheus's increase() does (a restarted pod's counter starts
// from zero again: that is a reset, not a negative count).

/** The counters of apps/ingestion/metrics.ts the error ratio is made of (a test holds them to that registry). */
export const INGESTION_COUNTERS = {
  accepted: "ingestion_events_accepted_total",
  rejected: "ingestion_events_rejected_total",
  /** Acknowledged and dropped (erased or non-consenting players): received, not an error. */
  suppressed: "ingestion_events_suppressed_total",
} as const;

export type CounterKey = keyof typeof INGESTION_COUNTERS;
export type Counts = Readonly<Record<CounterKey, number>>;

/** The sum of every sample of `name` in a Prometheus text exposition; 0 when it has none (a labelled counter before its first event). */
export function counterSum(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name) || (line[name.length] !== "{" && line[name.length] !== " ")) continue;
    // The value follows the labels (whose values may hold spaces): the first field after the closing brace.
    const rest = line[name.length] === "{" ? line.slice(line.lastIndexOf("}") + 1) : line.slice(name.length);
    const value = Number(rest.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export function countsOf(exposition: string): Counts {
  return { accepted: counterSum(exposition, INGESTION_COUNTERS.accepted), rejected: counterSum(exposition, INGESTION_COUNTERS.rejected), suppressed: counterSum(exposition, INGESTION_COUNTERS.suppressed) };
}

/** How much a counter grew over its samples in time order; a sample missing (scrape failed) is skipped, a drop is a reset. */
export function increase(values: readonly (number | undefined)[]): number {
  let total = 0;
  let prev: number | undefined;
  for (const v of values) {
    if (v === undefined) continue;
    if (prev !== undefined) total += v >= prev ? v - prev : v;
    prev = v;
  }
  return total;
}

export interface ErrorRatio {
  /** Rejected events over all events received in the window; null when none came in (nothing to divide). */
  readonly ratio: number | null;
  readonly rejected: number;
  readonly received: number;
  /** The seconds the figures cover (a scrape window shorter than 5 minutes while samples accumulate). */
  readonly windowSeconds: number;
  /** Which source computed it: Prometheus's query API (the cluster) or this service's own scrapes (local). */
  readonly source: "prometheus" | "scrape";
}

/** Pure: the ratio of increases over a window. */
export function errorRatio(increases: Counts, windowSeconds: number, source: ErrorRatio["source"]): ErrorRatio {
  const received = increases.accepted + increases.rejected + increases.suppressed;
  return { ratio: received > 0 ? increases.rejected / received : null, rejected: increases.rejected, received, windowSeconds, source };
}

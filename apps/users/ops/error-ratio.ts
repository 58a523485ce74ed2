// The ingestion error ratio over the last 5 minutes, from one of two sources behind one interface:
// Prometheus's HTTP query API where the platform runs one (the cluster), or, where none is configured
// (the local platform, tests), this service's own scrapes of the ingestion pods' /metrics over a
// sliding window of samples.
import type { Logger } from "../../shared/logger";
import { type Counts, countsOf, type CounterKey, errorRatio, type ErrorRatio, increase, INGESTION_COUNTERS } from "./counters";

export const WINDOW_SECONDS = 300;

export interface ErrorRatioSource {
  readonly kind: ErrorRatio["source"];
  /** The ratio now; null when there is nothing to compute from yet (fewer than two scrapes). */
  read(): Promise<ErrorRatio | null>;
  stop(): void;
}

const KEYS = Object.keys(INGESTION_COUNTERS) as CounterKey[];
const TIMEOUT_MS = 5000;

interface PromVector {
  status: string;
  error?: string;
  data?: { resultType: string; result: { value: [number, string] }[] };
}

/** One instant query of Prometheus's HTTP API (`/api/v1/query`) that answers a single number. */
async function scalarQuery(baseUrl: string, query: string): Promise<number> {
  const r = await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query })}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = (await r.json().catch(() => ({ status: "error", error: `HTTP ${r.status}, not JSON` }))) as PromVector;
  if (!r.ok || body.status !== "success" || body.data?.resultType !== "vector") throw new Error(`Prometheus refused ${query}: ${body.error ?? `HTTP ${r.status}`}`);
  const value = Number(body.data.result[0]?.value[1] ?? "0");
  return Number.isFinite(value) ? value : 0;
}

/** The cluster's source: increase() over the window, summed over every ingestion pod Prometheus scrapes. */
export function prometheusSource(baseUrl: string): ErrorRatioSource {
  return {
    kind: "prometheus",
    read: async () => {
      // `or vector(0)`: a labelled counter has no series before its first event (no rejection yet is 0, not "no data").
      const values = await Promise.all(KEYS.map((k) => scalarQuery(baseUrl, `sum(increase(${INGESTION_COUNTERS[k]}[${WINDOW_SECONDS}s])) or vector(0)`)));
      return errorRatio(Object.fromEntries(KEYS.map((k, i) => [k, values[i]])) as Counts, WINDOW_SECONDS, "prometheus");
    },
    stop: () => undefined,
  };
}

interface Sample {
  readonly at: number;
  /** Per URL; absent when that scrape failed. */
  readonly counts: ReadonlyMap<string, Counts>;
}

/** Pure: the ratio over the samples of the last `windowMs` before `now`; null with fewer than two of them. */
export function windowRatio(samples: readonly Sample[], now: number, windowMs: number): ErrorRatio | null {
  const inWindow = samples.filter((s) => s.at >= now - windowMs);
  if (inWindow.length < 2) return null;
  const urls = [...new Set(inWindow.flatMap((s) => [...s.counts.keys()]))];
  const grown = Object.fromEntries(KEYS.map((k) => [k, urls.reduce((sum, u) => sum + increase(inWindow.map((s) => s.counts.get(u)?.[k])), 0)])) as Counts;
  return errorRatio(grown, Math.round((inWindow[inWindow.length - 1].at - inWindow[0].at) / 1000), "scrape");
}

/** The local source: scrapes every `intervalMs`, keeps the window's samples in memory (a restart starts the window again). */
export function scrapeSource(urls: readonly string[], intervalMs: number, logger: Logger, windowMs = WINDOW_SECONDS * 1000): ErrorRatioSource {
  const samples: Sample[] = [];
  const scrape = async () => {
    const counts = new Map<string, Counts>();
    await Promise.all(
      urls.map(async (u) => {
        try {
          const r = await fetch(u, { signal: AbortSignal.timeout(TIMEOUT_MS) });
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          counts.set(u, countsOf(await r.text()));
        } catch (err) {
          logger.debug({ url: u, err: (err as Error).message }, "ingestion metrics not scraped");
        }
      }),
    );
    const at = Date.now();
    samples.push({ at, counts });
    // Only the window is kept: memory stays bounded by windowMs / intervalMs samples.
    while (samples.length > 0 && samples[0].at < at - windowMs) samples.shift();
  };
  void scrape();
  const timer = setInterval(() => void scrape(), intervalMs);
  timer.unref();
  return { kind: "scrape", read: async () => windowRatio(samples, Date.now(), windowMs), stop: () => clearInterval(timer) };
}

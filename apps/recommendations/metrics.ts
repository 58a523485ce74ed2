import { Counter, Histogram, type Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface RecommendationsMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "status">;
  /** hit, miss, stale, waited: the cache outcome of each answered request. */
  readonly cache: Counter<"outcome">;
  /** Recommendations actually computed (a stampede of N misses on one key should add 1). */
  readonly computations: Counter<"kind">;
  readonly latency: Histogram<"outcome">;
  readonly popularFill: Counter<"kind">;
  readonly publishFailures: Counter;
  readonly interactions: Counter;
  readonly refolded: Counter;
  readonly invalidated: Counter;
}

export function createRecommendationsMetrics(): RecommendationsMetrics {
  const registry = createRegistry("recommendations");
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    requests: counter("recommendations_http_requests_total", "HTTP requests by route and status", ["route", "status"]),
    cache: counter("recommendations_cache_total", "Answered requests by cache outcome", ["outcome"]),
    computations: counter("recommendations_computations_total", "Recommendation pages computed (cache misses that did the work)", ["kind"]),
    latency: new Histogram({
      name: "recommendations_request_seconds",
      help: "Time to answer a recommendations request, by cache outcome",
      labelNames: ["outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    popularFill: counter("recommendations_popular_fill_total", "Pages that needed popularity to fill up (cold player, cold items or thin filters)", ["kind"]),
    publishFailures: counter("recommendations_publish_failures_total", "Results that could not be published to recommendations.generated"),
    interactions: counter("recommendations_interactions_total", "Interactions read from player.events.processed"),
    refolded: counter("recommendations_players_refolded_total", "Player vectors rewritten after their events moved them"),
    invalidated: counter("recommendations_cache_invalidations_total", "Players whose cached pages were invalidated"),
  };
}

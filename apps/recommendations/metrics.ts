import { serviceMetrics } from "../shared/metrics";

export type RecommendationsMetrics = ReturnType<typeof createRecommendationsMetrics>;

export function createRecommendationsMetrics() {
  return serviceMetrics("recommendations", (m) => ({
    requests: m.counter({ name: "recommendations_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "status"] }),
    /** hit, miss, stale, waited: the cache outcome of each answered request. */
    cache: m.counter({ name: "recommendations_cache_total", help: "Answered requests by cache outcome", labelNames: ["outcome"] }),
    /** Recommendations actually computed (a stampede of N misses on one key should add 1). */
    computations: m.counter({ name: "recommendations_computations_total", help: "Recommendation pages computed (cache misses that did the work)", labelNames: ["kind"] }),
    latency: m.histogram({
      name: "recommendations_request_seconds",
      help: "Time to answer a recommendations request, by cache outcome",
      labelNames: ["outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    }),
    popularFill: m.counter({ name: "recommendations_popular_fill_total", help: "Pages that needed popularity to fill up (cold player, cold items or thin filters)", labelNames: ["kind"] }),
    publishFailures: m.counter({ name: "recommendations_publish_failures_total", help: "Results that could not be published to recommendations.generated" }),
    interactions: m.counter({ name: "recommendations_interactions_total", help: "Interactions read from player.events.processed" }),
    refolded: m.counter({ name: "recommendations_players_refolded_total", help: "Player vectors rewritten after their events moved them" }),
    invalidated: m.counter({ name: "recommendations_cache_invalidations_total", help: "Players whose cached pages were invalidated" }),
  }));
}

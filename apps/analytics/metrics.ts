import { serviceMetrics } from "../shared/metrics";

export type AnalyticsMetrics = ReturnType<typeof createAnalyticsMetrics>;

export function createAnalyticsMetrics() {
  return serviceMetrics("analytics", (m) => ({
    requests: m.counter({ name: "analytics_graphql_requests_total", help: "GraphQL HTTP requests by status", labelNames: ["status"] }),
    refused: m.counter({ name: "analytics_auth_refused_total", help: "Requests and WebSocket connections refused by token verification", labelNames: ["code"] }),
    cacheHits: m.counter({ name: "analytics_cache_hits_total", help: "Closed-range answers served from Redis" }),
    cacheMisses: m.counter({ name: "analytics_cache_misses_total", help: "Closed-range answers computed from the rollups" }),
    cacheInvalidations: m.counter({ name: "analytics_cache_invalidations_total", help: "Generation bumps after late events" }),
    loaderBatch: m.histogram({ name: "analytics_player_loader_batch_size", help: "Player summaries fetched per DataLoader batch", buckets: [1, 2, 5, 10, 50, 100, 500] }),
    subscribers: m.gauge({ name: "analytics_live_subscribers", help: "Open liveCounters subscriptions" }),
    dropped: m.counter({ name: "analytics_live_dropped_total", help: "Subscribers dropped for not keeping up" }),
    liveEvents: m.counter({ name: "analytics_live_events_total", help: "Processed events read by this pod's live consumer" }),
    recommendations: m.counter({ name: "analytics_recommendations_calls_total", help: "Calls to the recommendations service by outcome (ok, no_model, timeout, unreachable, token, refused, error)", labelNames: ["outcome"] }),
  }));
}

import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface AnalyticsMetrics {
  registry: Registry;
  requests: Counter<"status">;
  refused: Counter<"code">;
  cacheHits: Counter;
  cacheMisses: Counter;
  cacheInvalidations: Counter;
  loaderBatch: Histogram;
  subscribers: Gauge;
  dropped: Counter;
  liveEvents: Counter;
  recommendations: Counter<"outcome">;
}

export function createAnalyticsMetrics(): AnalyticsMetrics {
  const registry = createRegistry("analytics");
  const r = [registry];
  return {
    registry,
    requests: new Counter({ name: "analytics_graphql_requests_total", help: "GraphQL HTTP requests by status", labelNames: ["status"], registers: r }),
    refused: new Counter({ name: "analytics_auth_refused_total", help: "Requests and WebSocket connections refused by token verification", labelNames: ["code"], registers: r }),
    cacheHits: new Counter({ name: "analytics_cache_hits_total", help: "Closed-range answers served from Redis", registers: r }),
    cacheMisses: new Counter({ name: "analytics_cache_misses_total", help: "Closed-range answers computed from the rollups", registers: r }),
    cacheInvalidations: new Counter({ name: "analytics_cache_invalidations_total", help: "Generation bumps after late events", registers: r }),
    loaderBatch: new Histogram({ name: "analytics_player_loader_batch_size", help: "Player summaries fetched per DataLoader batch", buckets: [1, 2, 5, 10, 50, 100, 500], registers: r }),
    subscribers: new Gauge({ name: "analytics_live_subscribers", help: "Open liveCounters subscriptions", registers: r }),
    dropped: new Counter({ name: "analytics_live_dropped_total", help: "Subscribers dropped for not keeping up", registers: r }),
    liveEvents: new Counter({ name: "analytics_live_events_total", help: "Processed events read by this pod's live consumer", registers: r }),
    recommendations: new Counter({ name: "analytics_recommendations_calls_total", help: "Calls to the recommendations service by outcome (ok, no_model, timeout, unreachable, token, refused, error)", labelNames: ["outcome"], registers: r }),
  };
}

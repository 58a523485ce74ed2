// A player's recommendations for the API's Player.recommendations field: the recommendations service's
// GET /v1/games/{game}/players/{player}/recommendations, called with analytics' own service token
// within one deadline. Every failure is one coded error on that field (UPSTREAM_UNAVAILABLE), so the
// rest of the query still answers.
import { apiError } from "./errors";

export type RecommendationKind = "items" | "levels";

export interface RecommendedItem {
  readonly id: string;
  readonly score: number;
  /** "model" (the player's own vector) or "popular" (filled from the game's most played). */
  readonly source: string;
}

export interface PlayerRecommendations {
  readonly kind: RecommendationKind;
  readonly modelVersion: string;
  readonly generatedAt: string;
  readonly items: readonly RecommendedItem[];
}

export type Recommender = (gameId: string, playerId: string, kind: RecommendationKind, limit: number) => Promise<PlayerRecommendations>;

/** What became of one call, for the metrics (and a warning when it failed). */
export type RecommenderOutcome = "ok" | "no_model" | "timeout" | "unreachable" | "token" | "refused" | "error";

export interface RecommenderOptions {
  /** The service's base URL (inside the cluster). */
  readonly url: string;
  readonly timeoutMs: number;
  readonly token: () => Promise<string>;
  readonly observe: (outcome: RecommenderOutcome, err?: unknown) => void;
}

class Unavailable extends Error {
  constructor(
    readonly outcome: Exclude<RecommenderOutcome, "ok">,
    message: string,
  ) {
    super(message);
  }
}

const withDeadline = <T>(p: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
    p.then(resolve, reject);
  });

interface Answer {
  kind: RecommendationKind;
  model_version: string;
  generated_at: string;
  items: RecommendedItem[];
}

async function call(o: RecommenderOptions, path: string, signal: AbortSignal): Promise<Answer> {
  const token = await withDeadline(o.token(), signal).catch((err: Error) => {
    throw err.name === "TimeoutError" ? err : new Unavailable("token", `analytics could not get its service token: ${err.message}`);
  });
  const res = await fetch(`${o.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal }).catch((err: Error) => {
    throw err.name === "TimeoutError" ? err : new Unavailable("unreachable", "the recommendations service could not be reached");
  });
  const body = (await res.json().catch((err: Error) => {
    if (err.name === "TimeoutError") throw err;
    return {};
  })) as Partial<Answer> & { error?: string; message?: string };
  if (res.ok && Array.isArray(body.items)) return body as Answer;
  if (body.error === "no_model") throw new Unavailable("no_model", "no recommendations model is live yet (the daily training job makes one)");
  const outcome = res.status === 401 || res.status === 403 ? "refused" : "error";
  throw new Unavailable(outcome, `the recommendations service answered HTTP ${res.status}${body.message === undefined ? "" : `: ${body.message}`}`);
}

export function httpRecommender(o: RecommenderOptions): Recommender {
  return async (gameId, playerId, kind, limit) => {
    const path = `/v1/games/${encodeURIComponent(gameId)}/players/${encodeURIComponent(playerId)}/recommendations?kind=${kind}&limit=${limit}`;
    try {
      const a = await call(o, path, AbortSignal.timeout(o.timeoutMs));
      o.observe("ok");
      return { kind: a.kind, modelVersion: a.model_version, generatedAt: a.generated_at, items: a.items.map((i) => ({ id: i.id, score: i.score, source: i.source })) };
    } catch (err) {
      const e = err instanceof Unavailable ? err : (err as Error).name === "TimeoutError" ? new Unavailable("timeout", `the recommendations service did not answer within ${o.timeoutMs} ms`) : new Unavailable("error", (err as Error).message);
      o.observe(e.outcome, err);
      throw apiError("UPSTREAM_UNAVAILABLE", e.message, { service: "recommendations", reason: e.outcome });
    }
  };
}

/** Where RECOMMENDATIONS_URL is unset: the field says so, the rest of the API is unaffected. */
export const unconfiguredRecommender: Recommender = async () => {
  throw apiError("UPSTREAM_UNAVAILABLE", "recommendations are not configured on this analytics API (RECOMMENDATIONS_URL is unset)", { service: "recommendations", reason: "unconfigured" });
};

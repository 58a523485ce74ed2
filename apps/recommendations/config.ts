import { type CommonConfig, ConfigError, int, list, type ListenAddress, listenAddress, loadServiceConfig, oneOf, str } from "../shared/config";
import type { InteractionPolicy, Kind } from "./interactions";
import { ALS_DEFAULTS } from "./model/als";
import type { ModelParams } from "./game-model";

type Env = Readonly<Record<string, string | undefined>>;

export type VectorStoreKind = "embedded" | "qdrant";

export interface RecommendationsConfig extends CommonConfig, ListenAddress {
  /** "embedded" (the local default: an exact scan in this process) or "qdrant" (the cluster). */
  vectorStore: VectorStoreKind;
  qdrant: { url: string; apiKey?: string } | null;
  groupId: string;
  /** recommendations.generated, with the platform's topic prefix. */
  generatedTopic: string;
  cache: {
    prefix: string;
    ttlSec: Readonly<Record<Kind, number>>;
    /** How long past its TTL an entry may still be served while another pod recomputes it. */
    staleSec: number;
    /** The stampede lock's lifetime: the longest one computation may hold it. */
    lockMs: number;
  };
  /** How often the live model version is re-read (alias in Qdrant; newest ready version for the embedded store). */
  modelPollMs: number;
  rulesTtlMs: number;
  defaultLimit: number;
  maxLimit: number;
  policy: InteractionPolicy;
  training: { windowDays: number; params: ModelParams };
}

export const RECOMMENDATIONS_DEFAULTS = {
  host: "127.0.0.1",
  port: 8084,
  vectorStore: "embedded" as VectorStoreKind,
  groupId: "gamemetrics.recommendations",
  cachePrefix: "rec:",
  ttlItemsSec: 600,
  ttlLevelsSec: 1800,
  staleSec: 600,
  lockMs: 2000,
  modelPollMs: 10_000,
  rulesTtlMs: 30_000,
  defaultLimit: 10,
  maxLimit: 50,
  halfLifeDays: 14,
  abandonAfterFails: 3,
  windowDays: 90,
  minSupport: 2,
} as const;

const DAY_MS = 86_400_000;

function vectorStore(env: Env): Pick<RecommendationsConfig, "vectorStore" | "qdrant"> {
  const kind = oneOf(env, "RECOMMENDATIONS_VECTOR_STORE", RECOMMENDATIONS_DEFAULTS.vectorStore, ["embedded", "qdrant"] as const);
  const url = str(env, "QDRANT_URL", "");
  if (kind === "qdrant" && url === "") throw new ConfigError("config QDRANT_URL is missing: required when RECOMMENDATIONS_VECTOR_STORE is qdrant");
  const apiKey = str(env, "QDRANT_API_KEY", "");
  return { vectorStore: kind, qdrant: kind === "qdrant" ? { url, ...(apiKey === "" ? {} : { apiKey }) } : null };
}

export function loadRecommendationsConfig(env: Env = process.env): RecommendationsConfig {
  const d = RECOMMENDATIONS_DEFAULTS;
  return loadServiceConfig(env, (common) => ({
    ...vectorStore(env),
    ...listenAddress(env, "RECOMMENDATIONS_", d),
    groupId: str(env, "KAFKA_CONSUMER_GROUP", d.groupId),
    generatedTopic: `${common.topicPrefix}recommendations.generated`,
    cache: {
      prefix: str(env, "RECOMMENDATIONS_CACHE_PREFIX", d.cachePrefix),
      ttlSec: { items: int(env, "RECOMMENDATIONS_TTL_ITEMS_SEC", d.ttlItemsSec, 1, 86_400), levels: int(env, "RECOMMENDATIONS_TTL_LEVELS_SEC", d.ttlLevelsSec, 1, 86_400) },
      staleSec: int(env, "RECOMMENDATIONS_STALE_SEC", d.staleSec, 0, 86_400),
      lockMs: int(env, "RECOMMENDATIONS_LOCK_MS", d.lockMs, 50, 60_000),
    },
    modelPollMs: int(env, "RECOMMENDATIONS_MODEL_POLL_MS", d.modelPollMs, 100, 3_600_000),
    rulesTtlMs: int(env, "RECOMMENDATIONS_RULES_TTL_MS", d.rulesTtlMs, 0, 3_600_000),
    defaultLimit: d.defaultLimit,
    maxLimit: d.maxLimit,
    policy: {
      halfLifeMs: int(env, "RECOMMENDATIONS_HALF_LIFE_DAYS", d.halfLifeDays, 1, 3650) * DAY_MS,
      repeatableItemTypes: new Set(str(env, "RECOMMENDATIONS_REPEATABLE_ITEM_TYPES", "") === "" ? [] : list(env, "RECOMMENDATIONS_REPEATABLE_ITEM_TYPES", [])),
      abandonAfterFails: int(env, "RECOMMENDATIONS_ABANDON_AFTER_FAILS", d.abandonAfterFails, 1, 1000),
    },
    training: {
      windowDays: int(env, "RECOMMENDATIONS_WINDOW_DAYS", d.windowDays, 1, 3650),
      params: {
        ...ALS_DEFAULTS,
        factors: int(env, "RECOMMENDATIONS_FACTORS", ALS_DEFAULTS.factors, 2, 512),
        iterations: int(env, "RECOMMENDATIONS_ITERATIONS", ALS_DEFAULTS.iterations, 1, 200),
        minSupport: int(env, "RECOMMENDATIONS_MIN_SUPPORT", d.minSupport, 1, 1_000_000),
      },
    },
  }));
}

// The operator status's settings: which consumer groups' lag to show, and where the ingestion
// error ratio comes from (Prometheus in the cluster; the ingestion pods' /metrics scraped locally).
import { ConfigError, int, list, str } from "../../shared/config";

export interface OpsConfig {
  /**
   * The apps' consumer groups (infra/kafka/access.ts), unprefixed: `name` exactly or `prefix*` (the
   * analytics pods' own groups). The topic prefix is put in front of each, as it is of the topics.
   */
  readonly consumerGroups: readonly string[];
  /** The error ratio's source; "none" leaves it out of the status ("no source configured"). */
  readonly errorRatio: { readonly kind: "prometheus"; readonly url: string } | { readonly kind: "scrape"; readonly urls: readonly string[]; readonly intervalMs: number } | { readonly kind: "none" };
  /** The consumer groups the DLQ browser's reads join start with this (its ACLs admit only these). */
  readonly readerGroupPrefix: string;
}

const GROUP = /^[A-Za-z0-9._-]+\*?$/;
const URL_RE = /^https?:\/\/\S+$/;

export function loadOpsConfig(env: NodeJS.ProcessEnv, topicPrefix: string): OpsConfig {
  const groups = list(env, "OPS_CONSUMER_GROUPS", []);
  for (const g of groups) if (!GROUP.test(g)) throw new ConfigError(`config OPS_CONSUMER_GROUPS item "${g}" is invalid: expected a group name, or a prefix ending in *`);
  const prometheus = str(env, "OPS_PROMETHEUS_URL", "").replace(/\/+$/, "");
  const scrape = list(env, "OPS_INGESTION_METRICS_URLS", []);
  for (const [key, urls] of [["OPS_PROMETHEUS_URL", prometheus === "" ? [] : [prometheus]], ["OPS_INGESTION_METRICS_URLS", scrape]] as const) {
    for (const u of urls) if (!URL_RE.test(u)) throw new ConfigError(`config ${key} item "${u}" is invalid: expected an http(s) URL`);
  }
  if (prometheus !== "" && scrape.length > 0) throw new ConfigError("config OPS_PROMETHEUS_URL and OPS_INGESTION_METRICS_URLS are both set: allowed is one source of the error ratio (Prometheus in the cluster, scrapes locally)");
  const intervalMs = int(env, "OPS_SCRAPE_INTERVAL_MS", 15_000, 100, 300_000);
  return {
    consumerGroups: groups.map((g) => `${topicPrefix}${g}`),
    errorRatio: prometheus !== "" ? { kind: "prometheus", url: prometheus } : scrape.length > 0 ? { kind: "scrape", urls: scrape, intervalMs } : { kind: "none" },
    // KAFKA_CONSUMER_GROUP: the group the cluster names (infra/workloads/env.ts); already prefixed locally.
    readerGroupPrefix: str(env, "KAFKA_CONSUMER_GROUP", `${topicPrefix}gamemetrics.users`),
  };
}

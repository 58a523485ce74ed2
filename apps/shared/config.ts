// Typed environment config for the app services. Every key, its default and its
// allowed values live in one place; a bad value fails at start-up naming all three.

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

export function str(env: Env, key: string, def: string): string {
  return raw(env, key) ?? def;
}

export function int(env: Env, key: string, def: number, min: number, max: number): number {
  const v = raw(env, key);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`config ${key}="${v}" is invalid: expected an integer from ${min} to ${max}`);
  }
  return n;
}

export function oneOf<T extends string>(env: Env, key: string, def: T, allowed: readonly T[]): T {
  const v = raw(env, key);
  if (v === undefined) return def;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(`config ${key}="${v}" is invalid: allowed values are ${allowed.join(", ")}`);
  }
  return v as T;
}

export function list(env: Env, key: string, def: readonly string[]): string[] {
  const v = raw(env, key);
  if (v === undefined) return [...def];
  const items = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new ConfigError(`config ${key}="${v}" is invalid: expected a comma-separated list`);
  return items;
}

/** Where a server listens. */
export interface ListenAddress {
  host: string;
  /** 0: any free port (tests). */
  port: number;
}

/** `<prefix>HOST` and `<prefix>PORT`: each service names its own pair, the rules are the same. */
export function listenAddress(env: Env, prefix: string, def: ListenAddress): ListenAddress {
  return { host: str(env, `${prefix}HOST`, def.host), port: int(env, `${prefix}PORT`, def.port, 0, 65_535) };
}

/** A service's Kafka consumer group. */
export interface ConsumerGroup {
  groupId: string;
  /** How soon the group notices a dead member and hands its partitions to another. */
  sessionTimeoutMs: number;
}

export function consumerGroup(env: Env, keys: { groupId: string; sessionTimeoutMs: string }, def: ConsumerGroup): ConsumerGroup {
  return {
    groupId: str(env, keys.groupId, def.groupId),
    // The broker refuses sessions outside 6-300 s (group.min/max.session.timeout.ms).
    sessionTimeoutMs: int(env, keys.sessionTimeoutMs, def.sessionTimeoutMs, 6000, 300_000),
  };
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How a service authenticates to Kafka. On EKS the platform's Kafka contract is SCRAM-SHA-512 over
 * TLS (Strimzi with its cluster CA in KAFKA_CA_FILE, or MSK with public Amazon certificates);
 * the local broker is plaintext.
 */
export type KafkaSecurity =
  | { protocol: "PLAINTEXT" }
  | { protocol: "SASL_SSL"; mechanism: "SCRAM-SHA-512"; username: string; password: string; caFile?: string };

/** Redis as ElastiCache serves it: AUTH token kept out of the URL (it may hold URL-breaking characters), cluster mode in production. */
export interface RedisSettings {
  url: string;
  password?: string;
  cluster: boolean;
}

/** Settings every service shares: where the data services are and how to log. */
export interface CommonConfig {
  databaseUrl: string;
  redis: RedisSettings;
  kafkaBrokers: string[];
  kafkaSecurity: KafkaSecurity;
  /** Prepended to every topic name, so several platforms (or test runs) can share one cluster. */
  topicPrefix: string;
  logLevel: LogLevel;
}

export const COMMON_DEFAULTS: CommonConfig = {
  databaseUrl: "postgres://postgres@127.0.0.1:5432/gamemetrics",
  redis: { url: "redis://127.0.0.1:6379", cluster: false },
  kafkaBrokers: ["127.0.0.1:9092"],
  kafkaSecurity: { protocol: "PLAINTEXT" },
  topicPrefix: "",
  logLevel: "info",
};

export function loadCommonConfig(env: Env = process.env): CommonConfig {
  const d = COMMON_DEFAULTS;
  return {
    databaseUrl: str(env, "DATABASE_URL", d.databaseUrl),
    redis: {
      url: str(env, "REDIS_URL", d.redis.url),
      password: raw(env, "REDIS_PASSWORD"),
      cluster: oneOf(env, "REDIS_CLUSTER", "false", ["true", "false"]) === "true",
    },
    kafkaBrokers: list(env, "KAFKA_BROKERS", d.kafkaBrokers),
    kafkaSecurity: loadKafkaSecurity(env),
    topicPrefix: str(env, "KAFKA_TOPIC_PREFIX", d.topicPrefix),
    logLevel: oneOf(env, "LOG_LEVEL", d.logLevel, LOG_LEVELS),
  };
}

/**
 * A service's config: the settings every service shares, read first, then its own. `own` gets the
 * shared ones for defaults derived from them (a read replica defaulting to the primary).
 */
export function loadServiceConfig<T extends object>(env: Env, own: (common: CommonConfig) => T): CommonConfig & T {
  const common = loadCommonConfig(env);
  return { ...common, ...own(common) };
}

function required(env: Env, key: string, why: string): string {
  const v = raw(env, key);
  if (v === undefined) throw new ConfigError(`config ${key} is missing: required when ${why}`);
  return v;
}

function loadKafkaSecurity(env: Env): KafkaSecurity {
  const protocol = oneOf(env, "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", ["PLAINTEXT", "SASL_SSL"] as const);
  if (protocol === "PLAINTEXT") return { protocol };
  const why = "KAFKA_SECURITY_PROTOCOL is SASL_SSL";
  return {
    protocol,
    mechanism: oneOf(env, "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", ["SCRAM-SHA-512"] as const),
    username: required(env, "KAFKA_SASL_USERNAME", why),
    password: required(env, "KAFKA_SASL_PASSWORD", why),
    caFile: raw(env, "KAFKA_CA_FILE"),
  };
}

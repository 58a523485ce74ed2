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

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings every service shares: where the data services are and how to log. */
export interface CommonConfig {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** Prepended to every topic name, so several platforms (or test runs) can share one cluster. */
  topicPrefix: string;
  logLevel: LogLevel;
}

export const COMMON_DEFAULTS: CommonConfig = {
  databaseUrl: "postgres://postgres@127.0.0.1:5432/gamemetrics",
  redisUrl: "redis://127.0.0.1:6379",
  kafkaBrokers: ["127.0.0.1:9092"],
  topicPrefix: "",
  logLevel: "info",
};

export function loadCommonConfig(env: Env = process.env): CommonConfig {
  const d = COMMON_DEFAULTS;
  return {
    databaseUrl: str(env, "DATABASE_URL", d.databaseUrl),
    redisUrl: str(env, "REDIS_URL", d.redisUrl),
    kafkaBrokers: list(env, "KAFKA_BROKERS", d.kafkaBrokers),
    topicPrefix: str(env, "KAFKA_TOPIC_PREFIX", d.topicPrefix),
    logLevel: oneOf(env, "LOG_LEVEL", d.logLevel, LOG_LEVELS),
  };
}

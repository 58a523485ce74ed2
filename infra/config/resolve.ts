import { ConfigError, describe } from "./errors";
import { combinationProblems } from "./combinations";
import type { Field } from "./fields";
import { OTHER_KEYS, Profile, SECTIONS, SectionName, TIERS, Tier, tierDefaults } from "./profile";

export interface PlatformConfig {
  readonly stack: string;
  readonly tier: Tier;
  readonly profile: Profile;
  /** Non-sizing keys (OTHER_KEYS, such as secrets) that the stack sets; their values stay out of here. */
  readonly otherKeys: readonly string[];
}

const NAMESPACE = "gamemetrics";

/** Raw `gamemetrics:*` stack config, keyed without the namespace, structured values decoded. */
export type RawConfig = Readonly<Record<string, unknown>>;

/** Picks the `gamemetrics:*` keys from an engine config map (`ns:key` -> text, JSON for structured values). */
export function rawFromConfigMap(values: Readonly<Record<string, string>>): RawConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(`${NAMESPACE}:`)) raw[key.slice(NAMESPACE.length + 1)] = decode(value);
  }
  return raw;
}

function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value; // a plain string value
  }
}

/**
 * Turns raw stack config into a typed platform config: tier defaults, then overrides.
 * Collects every problem and throws one ConfigError naming key, bad value and allowed values.
 */
export function resolveConfig(stack: string, raw: RawConfig): PlatformConfig {
  const problems: string[] = [];
  const tierRaw = raw["tier"];
  if (!(TIERS as readonly unknown[]).includes(tierRaw)) {
    throw new ConfigError([`${NAMESPACE}:tier is ${describe(tierRaw)}; allowed: ${TIERS.map((t) => `"${t}"`).join(", ")}`]);
  }
  const tier = tierRaw as Tier;
  const profile = tierDefaults(tier);
  const known = new Set<string>(["tier", ...Object.keys(SECTIONS), ...OTHER_KEYS]);

  for (const [key, value] of Object.entries(raw)) {
    if (!known.has(key)) {
      problems.push(`${NAMESPACE}:${key} is not a known key; allowed: ${[...known].sort().join(", ")}`);
      continue;
    }
    if (key in SECTIONS) problems.push(...applyOverrides(profile, key as SectionName, value));
  }
  if (problems.length === 0) problems.push(...combinationProblems(profile, tier));
  if (problems.length > 0) throw new ConfigError(problems);
  const otherKeys = Object.keys(raw).filter((key) => OTHER_KEYS.includes(key));
  return { stack, tier, profile, otherKeys };
}

function applyOverrides(profile: Profile, name: SectionName, value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`${NAMESPACE}:${name} is ${describe(value)}; allowed: an object with keys ${Object.keys(SECTIONS[name].fields).join(", ")}`];
  }
  const fields = SECTIONS[name].fields as Record<string, Field<unknown>>;
  const target = profile[name] as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, rawValue] of Object.entries(value)) {
    const field = fields[key];
    if (field === undefined) {
      problems.push(`${NAMESPACE}:${name}.${key} is not a known key; allowed: ${Object.keys(fields).join(", ")}`);
      continue;
    }
    const parsed = field.parse(rawValue);
    if (parsed === undefined) problems.push(`${NAMESPACE}:${name}.${key} is ${describe(rawValue)}; allowed: ${field.allowed}`);
    else target[key] = parsed;
  }
  return problems;
}

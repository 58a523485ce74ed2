export { ConfigError } from "./errors";
export { loadPlatformConfig } from "./load";
export { rawFromConfigMap, resolveConfig, type PlatformConfig, type RawConfig } from "./resolve";
export { SECTIONS, TIERS, tierDefaults, type Profile, type Tier } from "./profile";

export { ConfigError } from "./errors";
export { loadPlatformConfig } from "./load";
export { resolveConfig, type PlatformConfig, type RawConfig } from "./resolve";
export { SECTIONS, TIERS, tierDefaults, type Profile, type Tier } from "./profile";

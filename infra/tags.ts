import type { PlatformConfig } from "./config";
import type { Tags } from "./contracts";

export const PROJECT = "gamemetrics";

/** The required tags, as every component passes them to its taggable resources. */
export function platformTags(config: Pick<PlatformConfig, "stack" | "tier">): Tags {
  return { project: PROJECT, env: config.stack, tier: config.tier };
}

/** Physical-name prefix, unique per stack: `gamemetrics-dev`. */
export function namePrefix(config: Pick<PlatformConfig, "stack">): string {
  return `${PROJECT}-${config.stack}`;
}

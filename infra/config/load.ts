import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig, RawConfig, resolveConfig } from "./resolve";

const PREFIX = "gamemetrics:";

/** Reads every `gamemetrics:*` key of the running stack (so unknown keys are caught) and resolves it. */
export function loadPlatformConfig(): PlatformConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(PREFIX)) raw[key.slice(PREFIX.length)] = decode(value);
  }
  return resolveConfig(pulumi.getStack(), raw as RawConfig);
}

/** Structured config arrives as JSON text; plain strings stay strings. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig, rawFromConfigMap, resolveConfig } from "./resolve";

/** Reads every `gamemetrics:*` key of the running stack (so unknown keys are caught) and resolves it. */
export function loadPlatformConfig(): PlatformConfig {
  return resolveConfig(pulumi.getStack(), rawFromConfigMap(pulumi.runtime.allConfig()));
}

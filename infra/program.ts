import * as pulumi from "@pulumi/pulumi";
import { loadPlatformConfig } from "./config";

/** The stack program: typed config -> platform components -> stack outputs. */
export async function program(): Promise<Record<string, pulumi.Input<unknown>>> {
  const config = loadPlatformConfig();
  return { tier: config.tier };
}

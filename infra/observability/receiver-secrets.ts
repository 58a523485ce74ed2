import * as pulumi from "@pulumi/pulumi";
import { ALERT_RECEIVER_KEYS, type AlertReceiver } from "../config/sections/observability";

/** The receiver credentials set in stack config, each kept secret; unset ones are left out. */
export function readReceiverSecrets(): Partial<Record<AlertReceiver, pulumi.Output<string>>> {
  const config = new pulumi.Config("gamemetrics");
  const entries = (Object.entries(ALERT_RECEIVER_KEYS) as [AlertReceiver, string][])
    .map(([receiver, key]) => [receiver, config.getSecret(key)] as const)
    .filter((entry): entry is readonly [AlertReceiver, pulumi.Output<string>] => entry[1] !== undefined);
  return Object.fromEntries(entries);
}

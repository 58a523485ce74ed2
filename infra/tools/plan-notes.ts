import { publicEndpointWarning } from "../cluster/settings";
import type { PlatformConfig } from "../config";
import { dataCostNote, dataProtectionNote } from "../data/notes";
import { kafkaNote } from "../kafka/notes";
import { alertingNote, configuredReceivers } from "../observability";
import { PLATFORM_NOTES } from "../services/platform-notes";
import { appsNote } from "../workloads/notes";

/**
 * Lines `npm run plan` prints under "Notes": cost surprises and behaviours a reader of the
 * plan must not miss (for example a paid service on the free tier). One pure function per note.
 */
export type PlanNote = (config: PlatformConfig) => string | undefined;

export const PLAN_NOTES: readonly PlanNote[] = [
  (c) => (c.tier === "free" ? "free tier: the EKS control plane ($0.10/h) and the NAT gateway are never free" : undefined),
  (c) =>
    c.tier === "free" && c.profile.kafka.mode === "msk"
      ? `free tier: gamemetrics:kafka.mode is "msk", which is never free (${c.profile.kafka.mskInstanceType} brokers are billed per hour, plus storage and the KMS key); the default "strimzi" runs Kafka on the cluster's nodes`
      : undefined,
  kafkaNote,
  (c) => publicEndpointWarning(c.profile.eks),
  dataCostNote,
  dataProtectionNote,
  (c) => alertingNote(configuredReceivers(c.otherKeys)),
  ...PLATFORM_NOTES,
  appsNote,
];

export function planNotes(config: PlatformConfig): string[] {
  return PLAN_NOTES.map((note) => note(config)).filter((n): n is string => n !== undefined);
}

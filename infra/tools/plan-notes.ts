import type { PlatformConfig } from "../config";

/**
 * Lines `npm run plan` prints under "Notes": cost surprises and behaviours a reader of the
 * plan must not miss (for example a paid service on the free tier). One pure function per note.
 */
export type PlanNote = (config: PlatformConfig) => string | undefined;

export const PLAN_NOTES: readonly PlanNote[] = [
  (c) => (c.tier === "free" ? "free tier: the EKS control plane ($0.10/h) and the NAT gateway are never free" : undefined),
];

export function planNotes(config: PlatformConfig): string[] {
  return PLAN_NOTES.map((note) => note(config)).filter((n): n is string => n !== undefined);
}

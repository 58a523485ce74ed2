import type { Profile, Tier } from "../config/profile";

/** Cross-field rules of the apps section (wired into config/combinations.ts). */
export const appsProblems: readonly ((p: Profile, tier: Tier) => string | undefined)[] = [
  (p) =>
    p.apps.minReplicas > p.apps.maxReplicas
      ? `gamemetrics:apps.minReplicas (${p.apps.minReplicas}) exceeds gamemetrics:apps.maxReplicas (${p.apps.maxReplicas}); allowed: at most ${p.apps.maxReplicas}`
      : undefined,
  // One pod is an outage at every node drain or AZ loss: production services run two or more.
  (p, tier) =>
    tier === "production" && p.apps.replicas < 2
      ? `gamemetrics:apps.replicas is ${p.apps.replicas} on the production tier; allowed: 2 or more`
      : undefined,
  (p, tier) =>
    tier === "production" && p.apps.minReplicas < 2
      ? `gamemetrics:apps.minReplicas is ${p.apps.minReplicas} on the production tier; allowed: 2 or more`
      : undefined,
];

import type { Profile, Tier } from "../config/profile";
import { mskBrokerCount } from "./msk-settings";
import { maxReplicas } from "./topics";

/** Cross-field rules of the kafka section (wired into config/combinations.ts). */
export const kafkaProblems: readonly ((p: Profile, tier: Tier) => string | undefined)[] = [
  (p, tier) =>
    p.kafka.mode === "strimzi" && p.kafka.brokers < maxReplicas(tier)
      ? `gamemetrics:kafka.brokers is ${p.kafka.brokers} on the ${tier} tier, whose topics have replication factor ${maxReplicas(tier)}; allowed: ${maxReplicas(tier)} or more`
      : undefined,
  (p, tier) => {
    const brokers = mskBrokerCount(p.kafka.mskBrokersPerAz, p.network.azCount);
    return p.kafka.mode === "msk" && brokers < maxReplicas(tier)
      ? `gamemetrics:kafka.mskBrokersPerAz ${p.kafka.mskBrokersPerAz} gives ${brokers} MSK brokers over ${Math.min(p.network.azCount, 3)} AZs, below the ${tier} tier's replication factor ${maxReplicas(tier)}; allowed: ${Math.ceil(maxReplicas(tier) / Math.min(p.network.azCount, 3))} or more per AZ`
      : undefined;
  },
  // Brokers that are also KRaft controllers form the quorum: an even count tolerates no more failures than one less.
  (p) =>
    p.kafka.mode === "strimzi" && !p.kafka.dedicatedControllers && p.kafka.brokers % 2 === 0
      ? `gamemetrics:kafka.brokers is ${p.kafka.brokers} with gamemetrics:kafka.dedicatedControllers false (brokers are the KRaft quorum); allowed: an odd count, or dedicatedControllers true`
      : undefined,
];

import type { PlatformConfig } from "../config";
import { mskBrokerCount } from "../config/sections/kafka";
import { TOPICS, topicSpecs } from "./topics";

/** Plan summary of the Kafka layer: mode, brokers and the apps' topics as partitions/RF. */
export function kafkaNote(c: PlatformConfig): string {
  const k = c.profile.kafka;
  const brokers =
    k.mode === "strimzi"
      ? `Strimzi on EKS, ${k.brokers} broker(s)${k.dedicatedControllers ? " + 3 KRaft controllers" : " (also KRaft controllers)"}, Kafka ${k.kafkaVersion}`
      : `MSK ${k.mskKafkaVersion}, ${mskBrokerCount(k.mskBrokersPerAz, c.profile.network.azCount)} x ${k.mskInstanceType}`;
  const topics = topicSpecs(c.tier, { cdc: k.cdc })
    .filter((t) => TOPICS[t.key].owner === "apps")
    .map((t) => `${t.name} ${t.partitions}/${t.replicas}`)
    .join(", ");
  return `kafka: ${brokers}; SCRAM-SHA-512 over TLS; CDC ${k.cdc ? "on" : "off"}; topics (partitions/RF): ${topics}`;
}

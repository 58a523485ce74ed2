// The one module that knows the Kafka client library (@platformatic/kafka). Services see only
// DurableProducer, runBatchConsumer, ensureTopics and plain records, so the library can be
// swapped here without touching them. Why this library: see the README's "Kafka client" section.
export { createAcls, createTopics, deleteTopics, endOffsets, ensureTopics, type AclBinding } from "./admin";
export { baseOptions, connectionSecurity } from "./connection";
export { runBatchConsumer, type BatchConsumerOptions, type ConsumerStatus, type HandledBatch, type RunningConsumer } from "./consumer";
export { describeKafkaError } from "./errors";
export { DurableProducer } from "./producer";
export { readTopic, readWholeTopic } from "./reader";
export { LOCAL_PARTITIONS, topicNames, type InRecord, type KafkaOptions, type OutRecord, type Topics } from "./types";

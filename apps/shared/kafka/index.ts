// The one module that knows the Kafka client library (@platformatic/kafka). Services see only
// DurableProducer, runBatchConsumer, ensureTopics and plain records, so the library can be
// swapped here without touching them. Why this library: see the README's "Kafka client" section.
export { createAcls, createTopics, deleteTopics, endOffsets, ensureTopics, offsetBounds, type AclBinding } from "./admin";
export { baseOptions, connectionSecurity } from "./connection";
export { runBatchConsumer, type BatchConsumerOptions, type ConsumerStatus, type HandledBatch, type RunningConsumer } from "./consumer";
export { chooseDlqRecords, DLQ_HEADERS, dlqItem, dlqReplay, PREVIEW_BYTES, type DlqChoice, type DlqItem, type DlqSource } from "./dlq";
export { describeKafkaError } from "./errors";
export { consumerLag, groupMatcher, lagOf, type GroupLag, type TopicLag } from "./lag";
export { DurableProducer } from "./producer";
export { readRange, readTopic, readWholeTopic } from "./reader";
export { LOCAL_PARTITIONS, topicNames, type InRecord, type KafkaOptions, type OutRecord, type Topics } from "./types";

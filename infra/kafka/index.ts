export { APP_ACCESS, appAcls, consumerGroup, KAFKA_APPS, kafkaUserName, principals, type AclRule, type KafkaApp, type Principal } from "./access";
export { CDC_TABLES } from "./cdc";
export { appSecretName, contractOutput, CREDENTIAL_KEYS, kafkaContract, type KafkaContract } from "./contract";
export { KafkaLayer, type KafkaLayerArgs } from "./kafka-layer";
export { APP_TOPIC_KEYS, maxReplicas, TOPICS, topicSpecs, type TopicKey, type TopicSpec } from "./topics";

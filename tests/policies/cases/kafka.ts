import { merge, one, res, type RuleCase, TAGS, variants } from "./support";

const MSK = "aws:msk/cluster:Cluster";
const MSK_CONFIG = "aws:msk/configuration:Configuration";
/** A Strimzi custom resource type at a concrete API version (the rules match any version). */
const strimzi = (kind: string, version = "v1beta2") => `kubernetes:kafka.strimzi.io/${version}:${kind}`;
const KAFKA = strimzi("Kafka");
const TOPIC = strimzi("KafkaTopic");
const USER = strimzi("KafkaUser");
const POOL = strimzi("KafkaNodePool");

const listener = { name: "scram", port: 9094, type: "internal", tls: true, authentication: { type: "scram-sha-512" } };
const BROKER_CONFIG = {
  "auto.create.topics.enable": false,
  "default.replication.factor": 3,
  "offsets.topic.replication.factor": 3,
  "transaction.state.log.replication.factor": 3,
  "min.insync.replicas": 2,
};
const kafka = variants(
  KAFKA,
  { metadata: { name: "events", namespace: "kafka" }, spec: { kafka: { listeners: [listener], config: BROKER_CONFIG, authorization: { type: "simple" } } } },
  "events",
);
const msk = variants(MSK, {
  numberOfBrokerNodes: 3,
  encryptionInfo: { encryptionAtRestKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1", encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
  clientAuthentication: { sasl: { scram: true }, unauthenticated: false },
  brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "DISABLED" } } },
  tags: TAGS,
});
const mskConfig = (lines: string[]) => res(MSK_CONFIG, { serverProperties: lines.join("\n") });
const PROD_PROPERTIES = ["allow.everyone.if.no.acl.found=false", "auto.create.topics.enable=false", "default.replication.factor=3", "offsets.topic.replication.factor=3", "transaction.state.log.replication.factor=3", "min.insync.replicas=2"];
const topic = (replicas: number, config: Record<string, unknown> = {}) => res(TOPIC, { spec: { partitions: 12, replicas, config } }, "raw");
const user = (spec: Record<string, unknown>) =>
  res(USER, { spec: merge({ authentication: { type: "scram-sha-512" }, authorization: { type: "simple", acls: [] } }, spec) }, "ingestion");
const acl = (name: string, patternType = "literal") => ({ resource: { type: "topic", name, patternType }, operations: ["Write"] });
const connect = (spec: Record<string, unknown>) =>
  res(
    strimzi("KafkaConnect", "v1"),
    { spec: merge({ authentication: { type: "scram-sha-512", username: "cdc" }, tls: { trustedCertificates: [{ secretName: "ca", certificate: "ca.crt" }] } }, spec) },
    "cdc",
  );
const pool = (replicas: number, roles = ["broker"]) => res(POOL, { spec: { replicas, roles } }, `pool-${replicas}-${roles.join("-")}`);

export const KAFKA_CASES: Record<string, RuleCase> = {
  "kafka-no-msk-on-free": { pass: [[kafka()], []], fail: one(msk(), res("aws:msk/serverlessCluster:ServerlessCluster", {})) },
  "kafka-tls": {
    pass: one(kafka(), msk(), msk({ encryptionInfo: { encryptionInTransit: {} } }), connect({})),
    fail: one(
      kafka({ spec: { kafka: { listeners: [{ ...listener, tls: false }] } } }),
      msk({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } }),
      msk({ encryptionInfo: { encryptionInTransit: { inCluster: false } } }),
      connect({ tls: undefined }),
    ),
  },
  "kafka-scram": {
    pass: one(kafka(), msk(), user({}), connect({})),
    fail: one(
      kafka({ spec: { kafka: { listeners: [{ ...listener, authentication: { type: "tls" } }] } } }),
      kafka({ spec: { kafka: { listeners: [{ name: "plain", port: 9092, type: "internal", tls: false }] } } }),
      msk({ clientAuthentication: { sasl: { scram: false, iam: true } } }),
      msk({ clientAuthentication: { sasl: { scram: true }, unauthenticated: true } }),
      user({ authentication: { type: "tls" } }),
      connect({ authentication: { type: "plain" } }),
    ),
  },
  "kafka-msk-encryption-at-rest": { pass: one(msk()), fail: one(msk({ encryptionInfo: { encryptionAtRestKmsKeyArn: undefined } })) },
  "kafka-no-public-access": {
    pass: one(kafka(), msk(), kafka({ spec: { kafka: { listeners: [{ ...listener, type: "cluster-ip" }] } } })),
    fail: one(
      kafka({ spec: { kafka: { listeners: [{ ...listener, type: "loadbalancer" }] } } }),
      kafka({ spec: { kafka: { listeners: [{ ...listener, type: "nodeport" }] } } }),
      msk({ brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } } }),
    ),
  },
  "kafka-replication-factor": {
    pass: one(kafka(), topic(3), mskConfig(PROD_PROPERTIES)),
    fail: one(
      kafka({ spec: { kafka: { config: { "default.replication.factor": 1 } } } }),
      topic(1),
      res(TOPIC, { spec: { partitions: 1 } }),
      mskConfig(["default.replication.factor=2"]),
    ),
  },
  "kafka-min-insync-replicas": {
    pass: one(kafka(), topic(3), topic(3, { "min.insync.replicas": 2 }), mskConfig(PROD_PROPERTIES)),
    fail: one(kafka({ spec: { kafka: { config: { "min.insync.replicas": 1 } } } }), topic(3, { "min.insync.replicas": 1 }), mskConfig(["default.replication.factor=3"])),
  },
  "kafka-no-auto-create-topics": {
    pass: one(kafka(), mskConfig(PROD_PROPERTIES), mskConfig([])),
    fail: one(
      kafka({ spec: { kafka: { config: { "auto.create.topics.enable": "true" } } } }),
      res(KAFKA, { spec: { kafka: { listeners: [listener] } } }),
      mskConfig(["auto.create.topics.enable = true"]),
    ),
  },
  "kafka-acls-least-privilege": {
    pass: one(kafka(), user({ authorization: { type: "simple", acls: [acl("player.events.raw")] } }), mskConfig(PROD_PROPERTIES)),
    fail: one(
      kafka({ spec: { kafka: { authorization: undefined } } }),
      user({ authorization: { type: "simple", acls: [acl("*")] } }),
      user({ authorization: { type: "simple", acls: [acl("", "prefix")] } }),
      mskConfig(["auto.create.topics.enable=false"]),
      mskConfig(["allow.everyone.if.no.acl.found=true"]),
    ),
  },
  "kafka-brokers-production": {
    pass: [[kafka(), pool(3, ["broker", "controller"])], [kafka(), pool(1), pool(2)], [msk()], []],
    fail: [[kafka(), pool(1, ["broker", "controller"])], [kafka(), pool(3, ["controller"]), pool(1)], [kafka()], [msk({ numberOfBrokerNodes: 2 })]],
  },
};

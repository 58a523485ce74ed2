// The platform's Kafka contract on a local broker: the topics of infra/kafka/topics.ts and the ACLs
// of infra/kafka/access.ts (the tables the Pulumi program uses), under an optional topic prefix so
// test runs and bench runs can share a broker without seeing each other's topics.
import { appAcls, consumerGroup, KAFKA_APPS, kafkaUserName, principals, type KafkaApp } from "../infra/kafka/access";
import { TOPIC_KEYS, TOPICS, type TopicEntry } from "../infra/kafka/topics";
import { CATALOG } from "../infra/workloads/catalog";
import type { KafkaSecurity } from "../apps/shared/config";
import { AclBinding, createAcls, createTopics, KafkaOptions } from "../apps/shared/kafka";
import type { Logger } from "../apps/shared/logger";
import type { BrokerAccess } from "./kafka-broker";

export { KAFKA_APPS, type KafkaApp };

/** Every ALLOW rule of every principal, each topic and group name under `prefix`. */
export function aclBindings(prefix: string): AclBinding[] {
  return principals({ cdc: true }).flatMap((p) =>
    p.acls.flatMap((rule) =>
      rule.operations.map((operation) => ({
        principal: `User:${p.user}`,
        resource: rule.resource.type,
        name: `${prefix}${rule.resource.name}`,
        pattern: rule.resource.patternType,
        operation,
      })),
    ),
  );
}

/** The topics the apps exchange events on, sized for one broker (free tier partitions, RF 1). */
export function appTopics(prefix: string): { topic: string; partitions: number }[] {
  return TOPIC_KEYS.filter((k) => TOPICS[k].owner === "apps").map((k) => ({ topic: `${prefix}${TOPICS[k].name}`, partitions: (TOPICS[k] as TopicEntry).sizing.free.partitions }));
}

function security(access: BrokerAccess, username: string, password: string): KafkaSecurity {
  return { protocol: "SASL_SSL", mechanism: "SCRAM-SHA-512", username, password, caFile: access.caFile };
}

/** Client options as the broker's super user (topics, ACLs, test readers); never given to an app. */
export function adminKafka(access: BrokerAccess, clientId: string, logger: Logger): KafkaOptions {
  return { brokers: [access.bootstrap], clientId, logger, security: security(access, access.admin.username, access.admin.password) };
}

/** Client options as one app's own principal: what its ACLs allow and nothing more. */
export function appKafka(access: BrokerAccess, app: KafkaApp, logger: Logger): KafkaOptions {
  const user = kafkaUserName(app);
  return { brokers: [access.bootstrap], clientId: app, logger, security: security(access, user, access.users[user]) };
}

/** Creates the app topics and ACLs under a prefix; safe to repeat (existing ones are kept). */
export async function provisionKafka(access: BrokerAccess, prefix: string, logger: Logger): Promise<void> {
  const admin = adminKafka(access, "local-provision", logger);
  await createTopics(admin, appTopics(prefix));
  await createAcls(admin, aclBindings(prefix));
}

/**
 * The Kafka env of an app's process, in the names the cluster gives it (infra/workloads/env.ts):
 * its own SCRAM user, the CA file, and the consumer group its ACLs allow.
 */
export function appKafkaEnv(access: BrokerAccess, app: KafkaApp, prefix: string): Record<string, string> {
  const user = kafkaUserName(app);
  const reads = appAcls(app).some((r) => r.resource.type === "group");
  const group = `${prefix}${consumerGroup(app)}`;
  const groupEnv = CATALOG[app].groupEnv;
  return {
    KAFKA_BROKERS: access.bootstrap,
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: access.users[user],
    KAFKA_CA_FILE: access.caFile,
    KAFKA_TOPIC_PREFIX: prefix,
    ...(reads ? { KAFKA_CONSUMER_GROUP: group, ...(groupEnv === undefined ? {} : { [groupEnv]: group }) } : {}),
  };
}

import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../contracts";
import { APP_ACCESS, consumerGroup, KAFKA_APPS, kafkaUserName, type KafkaApp } from "./access";
import { APP_TOPIC_KEYS, TOPICS, type AppTopicKey } from "./topics";

/** The keys of every per-app credential Secret, in both modes. */
export const CREDENTIAL_KEYS = { username: "username", password: "password" } as const;

/** Where an app finds its identity: a Secret in the apps namespace, the same name and keys in both modes. */
export interface AppKafkaAccess {
  readonly secretName: string;
  readonly username: string;
  /** The group it must consume with (its ACLs allow no other); null when it only produces. */
  readonly consumerGroup: string | null;
}

/**
 * What the apps get, whichever mode deployed Kafka: no secrets, only where to find them.
 * The shape is identical for Strimzi and MSK; apps never learn which one they run on.
 */
export interface KafkaContract<S = string> {
  readonly bootstrapServers: S;
  readonly securityProtocol: "SASL_SSL";
  readonly saslMechanism: "SCRAM-SHA-512";
  /** Namespace of the credential and CA Secrets. */
  readonly namespace: string;
  readonly credentialKeys: typeof CREDENTIAL_KEYS;
  /**
   * The CA that signs the broker certificates, as a Secret in the apps namespace, or null when the
   * brokers present certificates the default trust store accepts (MSK uses Amazon's public CA).
   */
  readonly caSecret: { readonly name: string; readonly key: string } | null;
  readonly schemaRegistryUrl: string;
  readonly topics: Readonly<Record<AppTopicKey, string>>;
  readonly apps: Readonly<Record<KafkaApp, AppKafkaAccess>>;
}

/** Secret in the apps namespace holding one app's SCRAM username and password. */
export function appSecretName(app: KafkaApp): string {
  return `kafka-${app}`;
}

/** The mode-specific facts the contract is built from. */
export interface ContractInputs<S> {
  readonly bootstrapServers: S;
  readonly caSecret: KafkaContract["caSecret"];
  readonly schemaRegistryUrl: string;
}

/** Builds the contract; everything but the inputs comes from the topic and access tables. */
export function kafkaContract<S>(inputs: ContractInputs<S>): KafkaContract<S> {
  return {
    bootstrapServers: inputs.bootstrapServers,
    securityProtocol: "SASL_SSL",
    saslMechanism: "SCRAM-SHA-512",
    namespace: NAMESPACES.apps,
    credentialKeys: CREDENTIAL_KEYS,
    caSecret: inputs.caSecret,
    schemaRegistryUrl: inputs.schemaRegistryUrl,
    topics: Object.fromEntries(APP_TOPIC_KEYS.map((k) => [k, TOPICS[k].name])) as Record<AppTopicKey, string>,
    apps: Object.fromEntries(
      KAFKA_APPS.map((app) => [
        app,
        { secretName: appSecretName(app), username: kafkaUserName(app), consumerGroup: APP_ACCESS[app].read.length > 0 ? consumerGroup(app) : null },
      ]),
    ) as Record<KafkaApp, AppKafkaAccess>,
  };
}

/** The contract as a stack output value (bootstrap servers resolved). */
export function contractOutput(contract: KafkaContract<pulumi.Output<string>>): pulumi.Output<KafkaContract> {
  return contract.bootstrapServers.apply((bootstrapServers) => ({ ...contract, bootstrapServers }));
}

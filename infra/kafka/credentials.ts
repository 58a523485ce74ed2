import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type KubernetesPlacement, NAMESPACES } from "../contracts";
import { KAFKA_APPS, kafkaUserName, type Principal } from "./access";
import { appSecretName, CREDENTIAL_KEYS } from "./contract";

/** Secret in the kafka namespace with a principal's password: Strimzi's KafkaUser and platform services read it. */
export function userSecretName(user: string): string {
  return `kafka-user-${user}`;
}

/** JAAS line for SCRAM; the password is alphanumeric, so it needs no escaping inside the quotes. */
export function scramJaasConfig(username: string, password: string): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

/** `dependsOn`: the namespaces (created by the security baseline). */
export interface CredentialsArgs extends KubernetesPlacement {
  readonly principals: readonly Principal[];
}

/**
 * One generated SCRAM password per principal, the same value in both modes. It lands in a Secret
 * in the kafka namespace (for Strimzi and the platform services) and, for apps, in a Secret in the
 * apps namespace with the contract's name and keys. MSK gets the same value through Secrets Manager.
 */
export class KafkaCredentials extends pulumi.ComponentResource {
  /** Password per principal user name. */
  readonly passwords: Readonly<Record<string, pulumi.Output<string>>>;
  /** The Secrets in the kafka namespace, for dependsOn. */
  readonly kafkaNamespaceSecrets: k8s.core.v1.Secret[];

  constructor(name: string, args: CredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:Credentials", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    const passwords: Record<string, pulumi.Output<string>> = {};
    this.kafkaNamespaceSecrets = args.principals.map(({ user }) => {
      // Alphanumeric: safe in JAAS config, URLs and shell without escaping; 40 chars keep it strong.
      const password = new random.RandomPassword(`${name}-${user}`, { length: 40, special: false }, { parent: this }).result;
      passwords[user] = pulumi.secret(password);
      return new k8s.core.v1.Secret(
        `${name}-user-${user}`,
        {
          metadata: { name: userSecretName(user), namespace: NAMESPACES.kafka, labels: { "app.kubernetes.io/part-of": "gamemetrics-kafka" } },
          type: "Opaque",
          stringData: pulumi.secret(
            password.apply((p) => ({ [CREDENTIAL_KEYS.username]: user, [CREDENTIAL_KEYS.password]: p, "sasl.jaas.config": scramJaasConfig(user, p) })),
          ),
        },
        k8sOpts,
      );
    });
    for (const app of KAFKA_APPS) {
      const user = kafkaUserName(app);
      const password = passwords[user];
      if (password === undefined) throw new Error(`kafka credentials: no principal for app ${app}`);
      new k8s.core.v1.Secret(
        `${name}-apps-${app}`,
        {
          metadata: { name: appSecretName(app), namespace: NAMESPACES.apps, labels: { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "gamemetrics" } },
          type: "Opaque",
          stringData: pulumi.secret(password.apply((p) => ({ [CREDENTIAL_KEYS.username]: user, [CREDENTIAL_KEYS.password]: p }))),
        },
        k8sOpts,
      );
    }
    this.passwords = passwords;
    this.registerOutputs({});
  }
}

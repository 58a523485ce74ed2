import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type KubernetesPlacement, NAMESPACES } from "../contracts";
import { SCHEMA_REGISTRY_GROUP_PREFIX, SERVICE_USERS } from "./access";
import { userSecretName } from "./credentials";
import { TOPICS } from "./topics";

const NAME = "schema-registry";
const HTTP_PORT = 8080;

/** In-cluster URL of the registry's Confluent-compatible API (what Kafka serdes clients speak). */
export function schemaRegistryUrl(): string {
  return `http://${NAME}.${NAMESPACES.kafka}.svc:${HTTP_PORT}/apis/ccompat/v7`;
}

/** A CA for the registry's Kafka client, as a Secret in the kafka namespace holding `ca.p12` and `ca.password`. */
export interface TrustStoreSecret {
  readonly name: string;
}

/**
 * Environment of the Apicurio container: KafkaSQL storage on the catalog's topics (pre-created, so
 * auto-create is off), SCRAM over TLS through the `apicurio.kafka.common.*` client pass-through.
 */
export function registryEnv(bootstrap: pulumi.Input<string>, trustStore: TrustStoreSecret | null): k8s.types.input.core.v1.EnvVar[] {
  return [
    { name: "APICURIO_STORAGE_KIND", value: "kafkasql" },
    { name: "APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", value: bootstrap },
    { name: "APICURIO_KAFKASQL_TOPIC", value: TOPICS.registryJournal.name },
    { name: "APICURIO_KAFKASQL_SNAPSHOTS_TOPIC", value: TOPICS.registrySnapshots.name },
    { name: "APICURIO_EVENTS_KAFKA_TOPIC", value: TOPICS.registryEvents.name },
    { name: "APICURIO_KAFKASQL_TOPIC_AUTO_CREATE", value: "false" },
    { name: "APICURIO_KAFKASQL_CONSUMER_GROUP_PREFIX", value: SCHEMA_REGISTRY_GROUP_PREFIX },
    { name: "APICURIO_KAFKA_COMMON_SECURITY_PROTOCOL", value: "SASL_SSL" },
    { name: "APICURIO_KAFKA_COMMON_SASL_MECHANISM", value: "SCRAM-SHA-512" },
    {
      name: "APICURIO_KAFKA_COMMON_SASL_JAAS_CONFIG",
      valueFrom: { secretKeyRef: { name: userSecretName(SERVICE_USERS.schemaRegistry), key: "sasl.jaas.config" } },
    },
    ...(trustStore === null
      ? []
      : [
          { name: "APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_TYPE", value: "PKCS12" },
          { name: "APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_LOCATION", value: "/etc/kafka-ca/ca.p12" },
          { name: "APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_PASSWORD", valueFrom: { secretKeyRef: { name: trustStore.name, key: "ca.password" } } },
        ]),
  ];
}

/** `dependsOn`: the registry's KafkaUser/SCRAM secret and its topics. */
export interface SchemaRegistryArgs extends KubernetesPlacement {
  /** Apicurio image reference (from the ECR pull-through cache). */
  readonly image: pulumi.Input<string>;
  readonly bootstrap: pulumi.Input<string>;
  /** The Strimzi cluster CA; null on MSK, whose brokers present publicly trusted certificates. */
  readonly trustStore: TrustStoreSecret | null;
  readonly replicas: number;
}

/** Apicurio Registry 3 for event schemas, storing them in Kafka (no database to run or back up). */
export class SchemaRegistry extends pulumi.ComponentResource {
  readonly url: string = schemaRegistryUrl();

  constructor(name: string, args: SchemaRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:SchemaRegistry", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    const labels = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "gamemetrics-kafka" };
    const probe = (path: string) => ({ httpGet: { path, port: "management" } });
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: NAME, namespace: NAMESPACES.kafka, labels }, automountServiceAccountToken: false },
      k8sOpts,
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata: { name: NAME, namespace: NAMESPACES.kafka, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
      k8sOpts,
    );
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: NAME, namespace: NAMESPACES.kafka, labels },
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: sa.metadata.name,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 1001, fsGroup: 1001, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "registry",
                  image: args.image,
                  ports: [
                    { name: "http", containerPort: HTTP_PORT },
                    { name: "management", containerPort: 9000 },
                  ],
                  env: registryEnv(args.bootstrap, args.trustStore),
                  volumeMounts: args.trustStore === null ? [] : [{ name: "kafka-ca", mountPath: "/etc/kafka-ca", readOnly: true }],
                  resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                  // Replaying the journal on start can take minutes.
                  startupProbe: { ...probe("/health/ready"), periodSeconds: 10, failureThreshold: 60 },
                  readinessProbe: probe("/health/ready"),
                  livenessProbe: probe("/health/live"),
                },
              ],
              volumes:
                args.trustStore === null ? [] : [{ name: "kafka-ca", secret: { secretName: args.trustStore.name, items: [{ key: "ca.p12", path: "ca.p12" }] } }],
            },
          },
        },
      },
      k8sOpts,
    );
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: NAME, namespace: NAMESPACES.kafka, labels },
        spec: { selector: labels, ports: [{ name: "http", port: HTTP_PORT, targetPort: "http" }] },
      },
      k8sOpts,
    );
    this.registerOutputs({ url: this.url });
  }
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { KafkaProfile } from "../config/sections/kafka";
import { type KubernetesPlacement, NAMESPACES } from "../contracts";
import { CHARTS, pinnedChart } from "../services/charts";
import type { Principal } from "./access";
import { CREDENTIAL_KEYS } from "./contract";
import { userSecretName } from "./credentials";
import { KAFKA_CLUSTER_NAME, kafkaSpec, nodePools, STRIMZI_API, topicSpec, userSpec } from "./strimzi-spec";
import type { TopicSpec } from "./topics";

/** The Strimzi cluster operator from its pinned chart, watching the kafka namespace (where it runs). */
export function strimziOperator(name: string, args: KubernetesPlacement, parent: pulumi.Resource): k8s.helm.v4.Chart {
  return pinnedChart(
    name,
    {
      source: CHARTS.strimzi,
      namespace: NAMESPACES.kafka,
      values: {
        replicas: 1,
        resources: { requests: { cpu: "100m", memory: "384Mi" }, limits: { memory: "384Mi" } },
      },
    },
    { parent, provider: args.provider, dependsOn: args.dependsOn },
  );
}

/** `dependsOn`: the operator (its CRDs) and the principals' password Secrets. */
export interface StrimziKafkaArgs extends KubernetesPlacement {
  readonly tier: Tier;
  readonly profile: KafkaProfile;
  readonly topics: readonly TopicSpec[];
  readonly principals: readonly Principal[];
  readonly storageClass: string;
}

/**
 * Kafka on EKS: a KRaft cluster from node pools, one KafkaTopic per catalog entry, one KafkaUser per
 * principal with its derived ACLs, and a PodMonitor for brokers, exporter and Connect.
 */
export class StrimziKafka extends pulumi.ComponentResource {
  constructor(name: string, args: StrimziKafkaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:Strimzi", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    const crMeta = (resourceName: string) => ({
      name: resourceName,
      namespace: NAMESPACES.kafka,
      labels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME },
    });

    const pools = nodePools(args.profile, args.storageClass).map(
      (pool) =>
        new k8s.apiextensions.CustomResource(
          `${name}-pool-${pool.name}`,
          { apiVersion: STRIMZI_API, kind: "KafkaNodePool", metadata: crMeta(pool.name), spec: pool.spec },
          k8sOpts,
        ),
    );
    const kafka = new k8s.apiextensions.CustomResource(
      `${name}-kafka`,
      {
        apiVersion: STRIMZI_API,
        kind: "Kafka",
        metadata: { name: KAFKA_CLUSTER_NAME, namespace: NAMESPACES.kafka },
        spec: kafkaSpec(args.tier, args.profile),
      },
      { ...k8sOpts, dependsOn: [...args.dependsOn, ...pools] },
    );
    const entityOpts = { ...k8sOpts, dependsOn: [kafka] };
    for (const topic of args.topics) {
      new k8s.apiextensions.CustomResource(
        `${name}-topic-${topic.key}`,
        // KafkaTopic names must be DNS-1123: dots are fine, the topic name itself is spec.topicName.
        { apiVersion: STRIMZI_API, kind: "KafkaTopic", metadata: crMeta(topic.name), spec: topicSpec(topic) },
        entityOpts,
      );
    }
    for (const principal of args.principals) {
      new k8s.apiextensions.CustomResource(
        `${name}-user-${principal.user}`,
        {
          apiVersion: STRIMZI_API,
          kind: "KafkaUser",
          metadata: crMeta(principal.user),
          spec: userSpec(principal.acls, userSecretName(principal.user), CREDENTIAL_KEYS.password),
        },
        entityOpts,
      );
    }
    new k8s.apiextensions.CustomResource(
      `${name}-metrics`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: "strimzi-kafka", namespace: NAMESPACES.kafka },
        spec: {
          selector: { matchExpressions: [{ key: "strimzi.io/kind", operator: "In", values: ["Kafka", "KafkaConnect"] }] },
          namespaceSelector: { matchNames: [NAMESPACES.kafka] },
          podMetricsEndpoints: [{ path: "/metrics", port: "tcp-prometheus" }],
        },
      },
      entityOpts,
    );
    this.registerOutputs({});
  }
}

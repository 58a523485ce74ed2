import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { KafkaProfile } from "../config/sections/kafka";
import type { ClusterInfo, NetworkInfo, Tags } from "../contracts";
import { NAMESPACES } from "../contracts";
import { principals } from "./access";
import { APPS_CA_SECRET, StrimziCaCopy } from "./ca-copy";
import { Cdc, type CdcSource } from "./cdc";
import { ConnectImageRepository, PUSH_SECRET } from "./cdc-image";
import { kafkaContract, type KafkaContract } from "./contract";
import { KafkaCredentials } from "./credentials";
import { ImageCache } from "./image-cache";
import { APICURIO_IMAGE, kafkaCliImage } from "./images";
import { Msk } from "./msk";
import { MskAdmin } from "./msk-admin";
import { SchemaRegistry } from "./registry";
import { StrimziKafka, strimziOperator } from "./strimzi";
import { bootstrapAddress, CLUSTER_CA_SECRET } from "./strimzi-spec";
import { maxReplicas, topicSpecs } from "./topics";

export interface KafkaLayerArgs {
  readonly tier: Tier;
  readonly profile: KafkaProfile;
  /** AZs the VPC spans (MSK puts brokers in up to 3 of them). */
  readonly azCount: number;
  readonly network: NetworkInfo;
  readonly cluster: ClusterInfo;
  /** The kafka and apps Namespaces and the External Secrets store: everything here deploys into them. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  /** StorageClass of the broker volumes (encrypted gp3). */
  readonly storageClass: string;
  /** The users database Debezium reads (used only when profile.cdc is on). */
  readonly cdcSource: CdcSource;
  /** Customer KMS key for the image repositories (Connect build, pull-through cache). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Images each repository keeps. */
  readonly ecrKeepImages: number;
  readonly namePrefix: string;
  readonly secretRecoveryDays: number;
  readonly tags: Tags;
}

/**
 * The Kafka layer in either mode: the catalog's topics, one SCRAM identity per app and platform service
 * with derived ACLs, the apps' credential Secrets, Apicurio Registry, optional CDC, and the contract.
 * Only this component knows the mode; the contract it hands out has the same shape in both.
 */
export class KafkaLayer extends pulumi.ComponentResource {
  readonly contract: KafkaContract<pulumi.Output<string>>;

  constructor(name: string, args: KafkaLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:KafkaLayer", name, {}, opts);
    const { tier, profile, cluster } = args;
    const parent = { parent: this };
    const provider = cluster.provider;
    const topics = topicSpecs(tier, { cdc: profile.cdc });
    const users = principals({ cdc: profile.cdc });

    // Our own pods pull third-party images through ECR (cached, immutable tags); the MSK admin job needs the Kafka CLI.
    const images = new ImageCache(
      `${name}-images`,
      {
        images: { registry: APICURIO_IMAGE, ...(profile.mode === "msk" ? { kafkaCli: kafkaCliImage(profile.kafkaVersion) } : {}) },
        namePrefix: args.namePrefix,
        kmsKeyArn: args.kmsKeyArn,
        keepImages: args.ecrKeepImages,
        tags: args.tags,
      },
      parent,
    );
    const imageRef = (key: string) => {
      const ref = images.refs[key];
      if (ref === undefined) throw new Error(`kafka: no cached image ${key}`);
      return ref;
    };
    const credentials = new KafkaCredentials(`${name}-credentials`, { principals: users, provider, dependsOn: args.dependsOn }, parent);
    // Strimzi runs the brokers in strimzi mode, and Kafka Connect in both.
    const operator = profile.mode === "strimzi" || profile.cdc ? strimziOperator(`${name}-strimzi-operator`, { provider, dependsOn: args.dependsOn }, this) : undefined;
    const ready = [...args.dependsOn, ...credentials.kafkaNamespaceSecrets, ...(operator === undefined ? [] : [operator])];

    let bootstrap: pulumi.Output<string>;
    let kafkaReady: pulumi.Resource;
    let caSecret: KafkaContract["caSecret"];
    let kafkaNamespaceCa: string | null;
    if (profile.mode === "strimzi") {
      kafkaReady = new StrimziKafka(
        `${name}-strimzi`,
        { tier, profile, topics, principals: users, storageClass: args.storageClass, provider, dependsOn: ready },
        parent,
      );
      new StrimziCaCopy(`${name}-ca-copy`, { provider, dependsOn: [...args.dependsOn, kafkaReady] }, parent);
      bootstrap = pulumi.output(bootstrapAddress(NAMESPACES.kafka));
      caSecret = APPS_CA_SECRET;
      kafkaNamespaceCa = CLUSTER_CA_SECRET;
    } else {
      const msk = new Msk(
        `${name}-msk`,
        {
          tier,
          profile,
          azCount: args.azCount,
          network: args.network,
          nodeSecurityGroupId: cluster.nodeSecurityGroupId,
          principals: users,
          passwords: credentials.passwords,
          namePrefix: args.namePrefix,
          secretRecoveryDays: args.secretRecoveryDays,
          tags: args.tags,
        },
        parent,
      );
      kafkaReady = new MskAdmin(
        `${name}-msk-admin`,
        {
          cluster,
          clusterArn: msk.clusterArn,
          bootstrapIam: msk.bootstrapIam,
          image: imageRef("kafkaCli"),
          topics,
          principals: users,
          dependsOn: [...args.dependsOn, msk],
          tags: args.tags,
        },
        parent,
      );
      bootstrap = msk.bootstrapScram;
      caSecret = null;
      kafkaNamespaceCa = null;
    }

    const registry = new SchemaRegistry(
      `${name}-schema-registry`,
      {
        image: imageRef("registry"),
        bootstrap,
        trustStore: kafkaNamespaceCa === null ? null : { name: kafkaNamespaceCa },
        replicas: profile.schemaRegistryReplicas,
        provider,
        dependsOn: [...ready, kafkaReady],
      },
      parent,
    );

    if (profile.cdc) {
      const image = new ConnectImageRepository(
        `${name}-connect-image`,
        { cluster, namePrefix: args.namePrefix, kmsKeyArn: args.kmsKeyArn, keepImages: args.ecrKeepImages, dependsOn: args.dependsOn, tags: args.tags },
        parent,
      );
      new Cdc(
        `${name}-cdc`,
        {
          bootstrap,
          caSecret: kafkaNamespaceCa,
          kafkaVersion: profile.kafkaVersion,
          source: args.cdcSource,
          imageRepositoryUrl: image.repositoryUrl,
          pushSecret: PUSH_SECRET,
          replicas: tier === "production" ? 2 : 1,
          topicReplicas: maxReplicas(tier),
          provider,
          dependsOn: [...ready, kafkaReady, image.pushSecret],
        },
        parent,
      );
    }

    this.contract = kafkaContract({ bootstrapServers: bootstrap, caSecret, schemaRegistryUrl: registry.url });
    this.registerOutputs({ bootstrapServers: bootstrap });
  }
}

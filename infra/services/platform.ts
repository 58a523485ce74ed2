import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Profile, Tier } from "../config";
import type { ClusterInfo, Tags } from "../contracts";
import type { PlatformNamespaces } from "../security/namespaces";
import { Autoscaling } from "./autoscaling";
import type { IrsaServiceArgs } from "./charts";
import { ExternalSecrets } from "./external-secrets";
import { Edge, type EdgeInfo } from "./ingress";
import { AdmissionPolicy } from "./kyverno";
import { Mesh } from "./mesh";
import type { EncryptedBucket } from "./s3-prefix-policy";
import { Backups } from "./velero";

/** What the platform services take from the data layer. */
export interface PlatformDataInfo {
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly postgresSecretArn: pulumi.Input<string>;
  readonly redisSecretArn: pulumi.Input<string>;
  readonly backups: EncryptedBucket;
}

export interface PlatformServicesArgs {
  readonly cluster: ClusterInfo;
  readonly namespaces: PlatformNamespaces;
  readonly data: PlatformDataInfo;
  readonly vpcId: pulumi.Input<string>;
  readonly region: string;
  readonly profile: Pick<Profile, "eks" | "ingress" | "mesh" | "platform">;
  readonly tier: Tier;
  readonly namePrefix: string;
  readonly tags: Tags;
}

/**
 * The cluster services the apps rely on besides Kafka, Qdrant and observability: External Secrets,
 * the edge (AWS Load Balancer Controller + WAF), autoscaling, Velero backups, the Linkerd mesh and
 * Kyverno admission policies, each switched and sized by the tier profile.
 */
export class PlatformServices extends pulumi.ComponentResource {
  /** The ClusterSecretStore: `dependsOn` it when creating an ExternalSecret (see externalSecret()). */
  readonly secretStore: k8s.apiextensions.CustomResource;
  /** IngressClass and annotations for the public APIs' Ingresses. */
  readonly edge: EdgeInfo;

  constructor(name: string, args: PlatformServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:PlatformServices", name, {}, opts);
    const { profile, tier, namespaces, tags } = args;
    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const common = { cluster: args.cluster, region: args.region, tier, tags } satisfies IrsaServiceArgs;

    const secrets = new ExternalSecrets(
      `${name}-external-secrets`,
      {
        ...common,
        accountId,
        namePrefix: args.namePrefix,
        kmsKeyArn: args.data.kmsKeyArn,
        postgresSecretArn: args.data.postgresSecretArn,
        redisSecretArn: args.data.redisSecretArn,
        replicas: profile.platform.externalSecretsReplicas,
        dependsOn: [namespaces.platform, namespaces.apps],
      },
      parent,
    );
    this.secretStore = secrets.store;

    this.edge = new Edge(
      `${name}-edge`,
      { ...common, accountId, vpcId: args.vpcId, profile: profile.ingress, namePrefix: args.namePrefix, dependsOn: [namespaces.platform] },
      parent,
    );
    new Autoscaling(`${name}-autoscaling`, { ...common, accountId, eksVersion: profile.eks.version, metricsServerReplicas: profile.platform.metricsServerReplicas }, parent);
    if (profile.platform.backups) {
      new Backups(`${name}-backups`, { ...common, backups: args.data.backups, profile: profile.platform, dependsOn: [namespaces.platform] }, parent);
    }
    if (profile.mesh.enabled) {
      const meshNamespaces = [namespaces.mesh, namespaces.meshCni].filter((ns): ns is k8s.core.v1.Namespace => ns !== undefined);
      new Mesh(`${name}-mesh`, { cluster: args.cluster, profile: profile.mesh, tier, dependsOn: meshNamespaces }, parent);
    }
    new AdmissionPolicy(`${name}-admission`, { cluster: args.cluster, profile: profile.platform, tier, dependsOn: [namespaces.policy] }, parent);
    this.registerOutputs({});
  }
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { QdrantProfile } from "../../config/sections/qdrant";
import { type ClusterInfo, NAMESPACES, type Tags } from "../../contracts";
import { CHARTS, pinnedChart } from "../charts";
import { type EncryptedBucket, prefixRole } from "../s3-prefix-policy";
import {
  QDRANT_API_KEY_SECRET,
  QDRANT_HTTP_PORT,
  QDRANT_NAME,
  QDRANT_SERVICE_ACCOUNT,
  QDRANT_SNAPSHOT_PREFIX,
  qdrantPodMonitorSpec,
  qdrantValues,
} from "./values";

export interface QdrantArgs {
  readonly profile: QdrantProfile;
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly storageClass: string;
  /** The backups bucket; used when the profile sends snapshots to S3. */
  readonly backups: EncryptedBucket;
  readonly region: string;
  readonly tags: Tags;
  /** Namespaces and the Prometheus Operator CRDs (a PodMonitor scrapes Qdrant). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Qdrant in the data namespace: API key from @pulumi/random, gp3 volumes, S3 snapshots through IRSA when the tier asks. */
export class Qdrant extends pulumi.ComponentResource {
  /** In-cluster REST endpoint for the apps. */
  readonly url: string;

  constructor(name: string, args: QdrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Qdrant", name, {}, opts);
    const { profile } = args;
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };

    const apiKey = new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, { parent: this });
    // The server reads the key in the data namespace; the apps read the same key in theirs.
    const keySecrets = [NAMESPACES.data, NAMESPACES.apps].map(
      (namespace) =>
        new k8s.core.v1.Secret(
          `${name}-api-key-${namespace}`,
          {
            metadata: { name: QDRANT_API_KEY_SECRET.name, namespace },
            type: "Opaque",
            stringData: { [QDRANT_API_KEY_SECRET.key]: apiKey.result },
          },
          k8sOpts,
        ),
    );

    const role = profile.snapshotsToS3
      ? prefixRole(
          `${name}-snapshots`,
          {
            cluster: args.cluster,
            namespace: NAMESPACES.data,
            serviceAccount: QDRANT_SERVICE_ACCOUNT,
            storage: args.backups,
            prefix: QDRANT_SNAPSHOT_PREFIX,
            access: "readwrite",
            tags: args.tags,
          },
          { parent: this },
        )
      : undefined;

    const values = role === undefined
      ? pulumi.output(qdrantValues({ profile, storageClass: args.storageClass }))
      : pulumi
          .all([args.backups.bucket, role.arn])
          .apply(([bucket, roleArn]) => qdrantValues({ profile, storageClass: args.storageClass, snapshots: { bucket, region: args.region, roleArn } }));

    const chart = pinnedChart(name, { source: CHARTS.qdrant, namespace: NAMESPACES.data, values }, { ...k8sOpts, dependsOn: [...(args.dependsOn ?? []), ...keySecrets] });
    new k8s.apiextensions.CustomResource(
      `${name}-metrics`,
      { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: QDRANT_NAME, namespace: NAMESPACES.data }, spec: qdrantPodMonitorSpec() },
      { ...k8sOpts, dependsOn: [chart] },
    );

    this.url = `http://${QDRANT_NAME}.${NAMESPACES.data}.svc.cluster.local:${QDRANT_HTTP_PORT}`;
    this.registerOutputs({ url: this.url });
  }
}

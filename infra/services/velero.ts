import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { PlatformProfile } from "../config/sections/platform";
import { IrsaRole } from "../cluster/irsa";
import { IMAGE_PINS } from "../config/pins";
import { NAMESPACES } from "../contracts";
import { type ChartServiceArgs, CHARTS, type IrsaServiceArgs, pinnedChart } from "./charts";
import { VELERO_PREFIX, veleroPolicy } from "./platform-iam";
import { type EncryptedBucket, irsaAnnotation } from "./s3-prefix-policy";
import { resourcesFor } from "./sizing";

export const VELERO_SERVICE_ACCOUNT = "velero";
/** Object-store and EBS-snapshot plugin matching Velero 1.17 (chart 11.x), from the pins table. */
export const VELERO_AWS_PLUGIN = `${IMAGE_PINS.veleroAwsPlugin.registry}/${IMAGE_PINS.veleroAwsPlugin.repository}:${IMAGE_PINS.veleroAwsPlugin.tag}`;

/** Namespaces with state worth restoring; the apps are stateless and redeployed from the program. */
export const BACKED_UP_NAMESPACES = [NAMESPACES.kafka, NAMESPACES.data, NAMESPACES.observability] as const;

export function veleroValues(a: {
  bucket: string;
  kmsKeyArn: string;
  region: string;
  roleArn: string;
  profile: Pick<PlatformProfile, "backupSchedule" | "backupTtlDays">;
  tier: Tier;
}): Record<string, unknown> {
  return {
    initContainers: [{ name: "velero-plugin-for-aws", image: VELERO_AWS_PLUGIN, volumeMounts: [{ mountPath: "/target", name: "plugins" }] }],
    resources: resourcesFor("velero", a.tier),
    credentials: { useSecret: false },
    serviceAccount: { server: { create: true, name: VELERO_SERVICE_ACCOUNT, annotations: irsaAnnotation(a.roleArn) } },
    // EBS snapshots through the plugin; no node agent (it needs hostPath, which pod security forbids).
    snapshotsEnabled: true,
    deployNodeAgent: false,
    configuration: {
      backupStorageLocation: [
        { name: "default", provider: "aws", bucket: a.bucket, prefix: VELERO_PREFIX, default: true, config: { region: a.region, kmsKeyId: a.kmsKeyArn } },
      ],
      volumeSnapshotLocation: [{ name: "default", provider: "aws", config: { region: a.region } }],
    },
    schedules: {
      daily: {
        disabled: false,
        schedule: a.profile.backupSchedule,
        template: { ttl: `${a.profile.backupTtlDays * 24}h0m0s`, includedNamespaces: [...BACKED_UP_NAMESPACES], snapshotVolumes: true },
      },
    },
  };
}

export interface BackupsArgs extends ChartServiceArgs<PlatformProfile>, IrsaServiceArgs {
  /** Also the OIDC provider, for Velero's IRSA role (the chart alone needs only the provider). */
  readonly cluster: IrsaServiceArgs["cluster"];
  readonly backups: EncryptedBucket;
}

/** Velero: daily backups of the stateful namespaces to the backups bucket (its own prefix) and EBS snapshots. */
export class Backups extends pulumi.ComponentResource {
  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Backups", name, {}, opts);
    const role = new IrsaRole(
      name,
      {
        cluster: args.cluster,
        namespace: NAMESPACES.platform,
        serviceAccount: VELERO_SERVICE_ACCOUNT,
        policy: pulumi.all([args.backups.bucket, args.backups.kmsKeyArn]).apply(([bucket, key]) => JSON.stringify(veleroPolicy(bucket, key))),
        tags: args.tags,
      },
      { parent: this },
    );
    pinnedChart(
      name,
      {
        source: CHARTS.velero,
        namespace: NAMESPACES.platform,
        values: pulumi
          .all([args.backups.bucket, args.backups.kmsKeyArn, role.arn])
          .apply(([bucket, kmsKeyArn, roleArn]) => veleroValues({ bucket, kmsKeyArn, region: args.region, roleArn, profile: args.profile, tier: args.tier })),
      },
      { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn },
    );
    this.registerOutputs({});
  }
}

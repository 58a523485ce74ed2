import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { repositoryName } from "../data/registry";
import type { KafkaContract } from "../kafka/contract";
import { CATALOG, type CatalogSettings, imageOf, MIGRATIONS, WORKLOAD_NAMES, type WorkloadName } from "./catalog";
import { type AppName, imagesPushed } from "../config/sections/apps";
import type { IdentityProfile } from "../config/sections/identity";
import { appEnv, isKafkaApp, issuerUrl, KAFKA_CA_DIR, usersServiceUrl } from "./env";
import { metricsQueryPolicies } from "./metrics-query";
import { Migrations } from "./migrations";
import type { AppSecretStore } from "./app-secret";
import { UsersSecrets } from "./users-secrets";
import { NotificationsSecrets } from "./notifications-secrets";
import { callPolicies, dataPolicies } from "./spec";
import { formerly, type WorkloadsContext, Workload } from "./workload";

/** `dependsOn` holds the apps namespace, the Secrets the apps read (External Secrets, Kafka credentials), the CRDs. */
export interface WorkloadsArgs extends WorkloadsContext {
  readonly repositoryUrls: Readonly<Record<AppName, pulumi.Input<string>>>;
  /** The stack's name prefix: the repositories are `<prefix>/<app>` (infra/data/registry.ts). */
  readonly namePrefix: string;
  readonly kafka: KafkaContract<pulumi.Output<string>>;
  readonly qdrantUrl: string;
  readonly region: string;
  /** Where RDS and ElastiCache are reached (the data allows admit their ports in this range only). */
  readonly vpcCidr: string;
  /** The users service's settings and where its generated secrets go. */
  readonly identity: IdentityProfile;
  readonly secrets: AppSecretStore;
  /** The first read replica's address, when the stack has replicas. */
  readonly postgresReaderHost?: pulumi.Input<string>;
  readonly settings: CatalogSettings;
}

/**
 * Every catalog entry as a Workload, the NetworkPolicies that let apps call each other, and the
 * migrations Job the Deployments wait for. Nothing is deployed until gamemetrics:apps.imageTag is set:
 * the first `pulumi up` creates the (empty) repositories, and a Deployment of a missing image would
 * only time out. With a tag set, each image is looked up in ECR first (a tag that was never pushed
 * fails the preview with ECR's error) and deployed by tag and digest.
 */
export class Workloads extends pulumi.ComponentResource {
  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:workloads:Workloads", name, {}, formerly("gamemetrics:apps:Apps", opts));
    // Apps' own generated secrets exist from the first `up`, so External Secrets has synced them before the pods start.
    const secretOpts = { ...args.secrets, tags: args.tags, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const usersSecrets = new UsersSecrets(`${name}-users-secrets`, { profile: args.identity, ...secretOpts }, { parent: this });
    const ownSecrets: Partial<Record<WorkloadName, pulumi.Resource[]>> = {
      users: [usersSecrets],
      // Its client secret is derived from the users service's key, beside it.
      analytics: [usersSecrets],
      notifications: [
        new NotificationsSecrets(`${name}-notifications-secrets`, { emailFrom: args.profile.notificationsEmailFrom, region: args.region, ...secretOpts }, { parent: this }),
      ],
    };
    if (!imagesPushed(args.profile)) {
      this.registerOutputs({});
      return;
    }
    const tag = args.profile.imageTag;
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const image = (app: AppName): pulumi.Output<string> => {
      const pushed = aws.ecr.getImageOutput({ repositoryName: repositoryName(args.namePrefix, app), imageTag: tag }, { parent: this });
      return pulumi.interpolate`${args.repositoryUrls[app]}:${tag}@${pushed.imageDigest}`;
    };
    const migrations = new Migrations(
      `${name}-migrations`,
      { imageTag: tag, image: image(MIGRATIONS.image), provider: args.cluster.provider, dependsOn: args.dependsOn },
      { parent: this },
    );
    const kafka = args.kafka.bootstrapServers.apply((bootstrapServers): KafkaContract => ({ ...args.kafka, bootstrapServers }));
    const archives = pulumi.all([args.archives.bucket, args.archives.kmsKeyArn]);
    const identity = { issuer: issuerUrl(args.identity), jwksUrl: `${usersServiceUrl()}/oauth/jwks`, profile: args.identity };
    for (const app of WORKLOAD_NAMES) {
      const entry = CATALOG[app];
      const caSecret = args.kafka.caSecret;
      new Workload(
        `${name}-${app}`,
        {
          app,
          entry,
          profile: args.profile,
          tier: args.tier,
          cluster: args.cluster,
          image: image(imageOf(app)),
          env: pulumi.all([kafka, archives, args.postgresReaderHost ?? ""]).apply(([k, [bucket, keyArn], reader]) =>
            appEnv(app, entry, {
              kafka: k,
              qdrantUrl: args.qdrantUrl,
              region: args.region,
              archivesBucket: bucket,
              archivesKmsKeyArn: keyArn,
              identity,
              postgresReaderHost: reader === "" ? undefined : reader,
              settings: args.settings,
            }),
          ),
          kafkaCa: isKafkaApp(app) && caSecret !== null ? { secretName: caSecret.name, mountPath: KAFKA_CA_DIR } : null,
          workloadAzCount: args.workloadAzCount,
          edge: args.edge,
          archives: args.archives,
          tags: args.tags,
          // The schema first: a pod that starts before its tables exist fails its first requests; and an
          // app that reads a Secret of its own waits for it.
          dependsOn: [...args.dependsOn, migrations.job, ...(ownSecrets[app] ?? [])],
        },
        { parent: this },
      );
    }
    for (const policy of [...callPolicies(), ...dataPolicies(args.vpcCidr), ...metricsQueryPolicies()]) {
      new k8s.networking.v1.NetworkPolicy(`${name}-np-${policy.name}`, { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec }, k8sOpts);
    }
    this.registerOutputs({});
  }
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import type { Tier } from "../config/profile";
import type { AppsProfile } from "../config/sections/apps";
import type { IdentityProfile } from "../config/sections/identity";
import type { DeliveryProfile } from "../config/sections/delivery";
import { type ClusterInfo, NAMESPACES, type Tags } from "../contracts";
import { CHARTS, pinnedChart } from "../services/charts";
import { type EncryptedBucket, irsaAnnotation, prefixRole } from "../services/s3-prefix-policy";
import { CATALOG, WORKLOAD_NAMES } from "../workloads/catalog";
import { observabilityNamespacePolicies } from "../workloads/metrics-query";
import { MIGRATIONS_NAME } from "../workloads/migrations";
import { dataNamespacePolicies } from "../workloads/spec";
import type { AppSecretStore } from "../workloads/app-secret";
import { NotificationsSecrets } from "../workloads/notifications-secrets";
import { UsersSecrets } from "../workloads/users-secrets";
import { appProject, repoUrl, rootApplication } from "./applications";
import { argoCdValues, GITOPS_NAMESPACE, ROLLOUTS_NAME, rolloutsValues, TARGET_GROUP_VERIFY_POLICY } from "./argo-values";
import { FACTS, PLATFORM_CONFIGMAP } from "./facts";
import type { Manifest } from "./manifest";

export interface GitOpsArgs {
  readonly profile: DeliveryProfile;
  readonly tier: Tier;
  readonly stack: string;
  readonly region: string;
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly archives: EncryptedBucket;
  readonly kafkaBootstrapServers: pulumi.Input<string>;
  readonly qdrantUrl: string;
  /** RDS's read replica, when the stack has one (the analytics API reads there). */
  readonly postgresReaderHost?: pulumi.Input<string>;
  readonly apps: AppsProfile;
  readonly identity: IdentityProfile;
  /** Where the apps' own generated secrets go (as for the Workloads component). */
  readonly secrets: AppSecretStore;
  readonly tags: Tags;
  /** The argocd and apps namespaces, the Secrets the apps read, and the monitoring CRDs the charts' ServiceMonitors need. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Delivery of the apps through Argo CD: Argo CD and Argo Rollouts (pinned charts; Rollouts with
 * IRSA to verify ALB target groups), what the rendered manifests lean on but cannot hold (each app's
 * ServiceAccount with its IRSA role, the platform facts ConfigMap), and, once the stack names its
 * repository, the AppProject and the root Application that syncs deploy/<stack>/.
 */
export class GitOps extends pulumi.ComponentResource {
  constructor(name: string, args: GitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:delivery:GitOps", name, {}, opts);
    const { profile } = args;
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };

    const rolloutsRole = new IrsaRole(
      `${name}-rollouts`,
      { cluster: args.cluster, namespace: GITOPS_NAMESPACE, serviceAccount: ROLLOUTS_NAME, policy: TARGET_GROUP_VERIFY_POLICY, tags: args.tags },
      { parent: this },
    );
    const argocd = pinnedChart(`${name}-argocd`, { source: CHARTS.argoCd, namespace: GITOPS_NAMESPACE, values: argoCdValues({ profile, tier: args.tier }) }, k8sOpts);
    pinnedChart(
      `${name}-rollouts`,
      {
        source: CHARTS.argoRollouts,
        namespace: GITOPS_NAMESPACE,
        values: rolloutsRole.arn.apply((roleArn) => rolloutsValues({ replicas: profile.rolloutsReplicas, tier: args.tier, region: args.region, roleArn })),
      },
      k8sOpts,
    );

    // Identity stays with Pulumi, beside the IAM role it is bound to; the rendered pods name it.
    const serviceAccount = (account: string, annotations: pulumi.Input<Record<string, string>>) =>
      new k8s.core.v1.ServiceAccount(
        `${name}-${account}-sa`,
        { metadata: { name: account, namespace: NAMESPACES.apps, labels: { "app.kubernetes.io/name": account, "app.kubernetes.io/part-of": "gamemetrics" }, annotations }, automountServiceAccountToken: false },
        k8sOpts,
      );
    serviceAccount(MIGRATIONS_NAME, {});
    for (const app of WORKLOAD_NAMES) {
      const { archivesPrefix: prefix, archivesAccess } = CATALOG[app];
      const role =
        prefix === undefined
          ? undefined
          : prefixRole(
              `${name}-${app}-irsa`,
              { cluster: args.cluster, namespace: NAMESPACES.apps, serviceAccount: app, storage: args.archives, prefix, access: archivesAccess ?? "readwrite", tags: args.tags },
              { parent: this },
            );
      serviceAccount(app, role === undefined ? {} : role.arn.apply(irsaAnnotation));
    }

    // The apps' own generated secrets (Secrets Manager, synced by External Secrets), as under Pulumi delivery.
    const secretOpts = { ...args.secrets, tags: args.tags, provider: args.cluster.provider, dependsOn: args.dependsOn };
    new UsersSecrets(`${name}-users-secrets`, { profile: args.identity, ...secretOpts }, { parent: this });
    new NotificationsSecrets(`${name}-notifications-secrets`, { emailFrom: args.apps.notificationsEmailFrom, region: args.region, ...secretOpts }, { parent: this });

    // Outside the apps namespace, so outside what the stack's Argo CD project may sync.
    for (const policy of [...dataNamespacePolicies(), ...observabilityNamespacePolicies()]) {
      new k8s.networking.v1.NetworkPolicy(`${name}-np-${policy.name}`, { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec }, k8sOpts);
    }

    new k8s.core.v1.ConfigMap(
      `${name}-platform-facts`,
      {
        metadata: { name: PLATFORM_CONFIGMAP, namespace: NAMESPACES.apps },
        data: {
          [FACTS.kafkaBootstrapServers.key]: args.kafkaBootstrapServers,
          [FACTS.archivesBucket.key]: args.archives.bucket,
          [FACTS.archivesKmsKeyArn.key]: args.archives.kmsKeyArn,
          [FACTS.qdrantUrl.key]: args.qdrantUrl,
          ...(args.postgresReaderHost === undefined ? {} : { [FACTS.postgresReaderHost.key]: args.postgresReaderHost }),
        },
      },
      k8sOpts,
    );

    if (profile.repository !== "") {
      const argoObject = (suffix: string, manifest: Manifest, after: pulumi.Resource[]) =>
        new k8s.apiextensions.CustomResource(`${name}-${suffix}`, manifest as unknown as k8s.apiextensions.CustomResourceArgs, { ...k8sOpts, dependsOn: after });
      const project = argoObject("project", appProject(args.stack, profile.repository), [argocd]);
      argoObject("root", rootApplication(args.stack, { repoURL: repoUrl(profile.repository), targetRevision: profile.branch }), [argocd, project]);
    }
    this.registerOutputs({});
  }
}

/**
 * Refuses a deploy into another account than the one the committed manifests name
 * (delivery.awsAccountId): their images would come from that account's registry. Checked before any
 * resource is registered, so the preview fails with this message and nothing else.
 */
export async function assertDeployingAccount(expected: string): Promise<void> {
  if (expected === "") return;
  const { accountId } = await aws.getCallerIdentity();
  if (accountId !== expected) {
    throw new Error(
      `gamemetrics:delivery.awsAccountId is ${expected} but this deploy runs in account ${accountId}; the rendered manifests (deploy/<stack>/) name ${expected}'s registry. Set it to ${accountId} and run npm run render.`,
    );
  }
}

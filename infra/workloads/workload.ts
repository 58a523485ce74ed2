import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config/profile";
import type { AppsProfile } from "../config/sections/apps";
import { type ClusterInfo, NAMESPACES, type Tags } from "../contracts";
import { PUBLIC_API_PORT_NAME } from "../security/network-policies";
import { INTERNET_FACING_ANNOTATION } from "../../policies/rules/kubernetes";
import { irsaAnnotation, prefixRole, type EncryptedBucket } from "../services/s3-prefix-policy";
import type { EdgeInfo } from "../services/ingress";
import type { CatalogEntry, ServiceEntry, WorkloadName } from "./catalog";
import type { EnvVar } from "./env";
import { appResources, consumerCap, disruptionBudget, hpaSpec, minReplicas, podTemplate, scaling, selectorLabels, topologySpread } from "./spec";

/** What every workload shares with the Workloads layer that creates them all. */
export interface WorkloadsContext {
  readonly profile: AppsProfile;
  readonly tier: Tier;
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly archives: EncryptedBucket;
  readonly edge: EdgeInfo;
  readonly workloadAzCount: number;
  readonly tags: Tags;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The layer was named `apps` (types gamemetrics:apps:*) before it was renamed to `workloads`: the old
 * type as an alias keeps an existing stack's resources, and their children's, instead of replacing them.
 */
export function formerly(type: string, opts: pulumi.ComponentResourceOptions | undefined): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), { type }] };
}

export interface WorkloadArgs extends WorkloadsContext {
  readonly app: WorkloadName;
  readonly entry: CatalogEntry;
  /** `<ecr repository url>:<tag>@<digest>` of the pushed image. */
  readonly image: pulumi.Input<string>;
  readonly env: pulumi.Input<EnvVar[]>;
  readonly kafkaCa: { readonly secretName: string; readonly mountPath: string } | null;
}

/**
 * One catalog entry on the cluster: ServiceAccount (IRSA when it touches AWS), Deployment or CronJob,
 * and for services a Service, a ServiceMonitor, an HPA or fixed replicas, a PDB when two or more
 * pods run, and an Ingress on the public edge when the entry is public.
 */
export class Workload extends pulumi.ComponentResource {
  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:workloads:Workload", name, {}, formerly("gamemetrics:apps:Workload", opts));
    const { app, entry, profile } = args;
    const namespace = NAMESPACES.apps;
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const metadata = { name: app, namespace, labels: selectorLabels(app) };

    const role =
      entry.archivesPrefix === undefined
        ? undefined
        : prefixRole(
            `${name}-irsa`,
            { cluster: args.cluster, namespace, serviceAccount: app, storage: args.archives, prefix: entry.archivesPrefix, access: entry.archivesAccess ?? "readwrite", tags: args.tags },
            { parent: this },
          );
    new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { ...metadata, annotations: role === undefined ? {} : role.arn.apply(irsaAnnotation) }, automountServiceAccountToken: false },
      k8sOpts,
    );

    const pod = (replicas: number) =>
      pulumi.all([args.image, args.env]).apply(([img, env]) =>
        podTemplate({
          app,
          entry,
          image: img,
          env,
          resources: appResources(entry.resources ?? profile),
          serviceAccountName: app,
          topologySpread: topologySpread(app, args.workloadAzCount, replicas),
          kafkaCa: args.kafkaCa,
        }),
      );

    if (entry.kind === "cronjob") {
      new k8s.batch.v1.CronJob(
        `${name}-cronjob`,
        {
          metadata,
          spec: {
            schedule: entry.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3 * 3600, template: pod(1) } },
          },
        },
        k8sOpts,
      );
    } else {
      this.service(name, entry, pod, args, k8sOpts);
    }
    this.registerOutputs({});
  }

  private service(
    name: string,
    entry: ServiceEntry,
    pod: (replicas: number) => pulumi.Output<Record<string, unknown>>,
    args: WorkloadArgs,
    k8sOpts: pulumi.CustomResourceOptions,
  ): void {
    const { app } = args;
    const namespace = NAMESPACES.apps;
    const metadata = { name: app, namespace, labels: selectorLabels(app) };
    const scale = scaling(entry, args.profile, consumerCap(app, args.tier));
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: {
          // Under an HPA the replica count is the HPA's: leaving it unset keeps updates from resetting it.
          ...(scale.kind === "fixed" ? { replicas: scale.replicas } : {}),
          selector: { matchLabels: selectorLabels(app) },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: pod(minReplicas(scale)),
        },
      },
      k8sOpts,
    );
    const withDeployment = { ...k8sOpts, dependsOn: [deployment] };
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector: selectorLabels(app),
          ports: [{ name: PUBLIC_API_PORT_NAME, port: entry.listener.port, targetPort: PUBLIC_API_PORT_NAME, protocol: "TCP" }],
        },
      },
      k8sOpts,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-servicemonitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata,
        spec: {
          selector: { matchLabels: selectorLabels(app) },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ port: PUBLIC_API_PORT_NAME, path: "/metrics", interval: "30s" }],
        },
      },
      k8sOpts,
    );
    if (scale.kind === "hpa") {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, { metadata, spec: hpaSpec(app, scale) }, withDeployment);
    }
    const budget = disruptionBudget(scale);
    if (budget !== null) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata, spec: { ...budget, selector: { matchLabels: selectorLabels(app) } } }, k8sOpts);
    }
    if (entry.public) {
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: {
            ...metadata,
            // The public edge is a reviewed decision (policy k8s-no-public-load-balancer).
            annotations: args.edge.annotations.apply((a) => ({
              ...a,
              [INTERNET_FACING_ANNOTATION]: "true",
              // The ALB's own target check: "/" is a 404 on the API, /readyz turns 503 while a pod drains.
              "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
              // The ALB evaluates the group's rules lowest order first: an app owning some paths goes
              // before one taking everything ("/"), which would otherwise shadow it.
              ...(entry.publicPaths === undefined ? {} : { "alb.ingress.kubernetes.io/group.order": "-10" }),
            })),
          },
          spec: {
            ingressClassName: args.edge.ingressClassName,
            rules: [
              {
                http: {
                  paths: (entry.publicPaths ?? ["/"]).map((path) => ({ path, pathType: "Prefix", backend: { service: { name: app, port: { name: PUBLIC_API_PORT_NAME } } } })),
                },
              },
            ],
          },
        },
        withDeployment,
      );
    }
  }
}

import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { EksProfile } from "../config/sections/eks";
import { CLUSTER_AUTOSCALER_REPOSITORY, EKS_VERSION_PINS } from "../config/pins";
import { IrsaRole } from "../cluster/irsa";
import type { ClusterInfo } from "../contracts";
import { CHARTS, type IrsaServiceArgs, pinnedChart } from "./charts";
import { clusterAutoscalerPolicy } from "./platform-iam";
import { irsaAnnotation } from "./s3-prefix-policy";
import { disruptionBudget, resourcesFor } from "./sizing";

/** Both run in kube-system, next to the API server's other aggregated/system add-ons. */
export const AUTOSCALING_NAMESPACE = "kube-system";
export const CA_SERVICE_ACCOUNT = "cluster-autoscaler";

/** The autoscaler's minor version must match the cluster's: the image of each EKS version in the pins table. */
export function clusterAutoscalerImage(eksVersion: EksProfile["version"]): { repository: string; tag: string } {
  const { registry, repository } = CLUSTER_AUTOSCALER_REPOSITORY;
  return { repository: `${registry}/${repository}`, tag: EKS_VERSION_PINS[eksVersion].clusterAutoscaler };
}

export function clusterAutoscalerValues(a: { clusterName: string; region: string; roleArn: string; eksVersion: EksProfile["version"]; tier: Tier }): Record<string, unknown> {
  return {
    cloudProvider: "aws",
    awsRegion: a.region,
    // Finds the managed node groups' ASGs by the tags EKS puts on them; min/max come from the node group.
    autoDiscovery: { clusterName: a.clusterName },
    image: clusterAutoscalerImage(a.eksVersion),
    replicaCount: 1,
    resources: resourcesFor("clusterAutoscaler", a.tier),
    rbac: { serviceAccount: { create: true, name: CA_SERVICE_ACCOUNT, annotations: irsaAnnotation(a.roleArn) } },
    extraArgs: {
      expander: "least-waste",
      "balance-similar-node-groups": true,
      "skip-nodes-with-system-pods": false,
      "scale-down-utilization-threshold": 0.5,
    },
  };
}

export function metricsServerValues(replicas: number, tier: Tier): Record<string, unknown> {
  return {
    replicas,
    resources: resourcesFor("metricsServer", tier),
    podDisruptionBudget: disruptionBudget(replicas),
  };
}

export interface AutoscalingArgs extends IrsaServiceArgs {
  /** Also the cluster's name: the autoscaler finds the node groups by it. */
  readonly cluster: Pick<ClusterInfo, "name" | "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly accountId: pulumi.Input<string>;
  readonly eksVersion: EksProfile["version"];
  readonly metricsServerReplicas: number;
}

/** metrics-server (the HPAs' source) and Cluster Autoscaler scoped by IRSA to this cluster's node groups. */
export class Autoscaling extends pulumi.ComponentResource {
  constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Autoscaling", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.cluster.provider };
    pinnedChart(
      `${name}-metrics-server`,
      { source: CHARTS.metricsServer, namespace: AUTOSCALING_NAMESPACE, values: metricsServerValues(args.metricsServerReplicas, args.tier) },
      k8sOpts,
    );
    const role = new IrsaRole(
      `${name}-cluster-autoscaler`,
      {
        cluster: args.cluster,
        namespace: AUTOSCALING_NAMESPACE,
        serviceAccount: CA_SERVICE_ACCOUNT,
        policy: pulumi
          .all([args.cluster.name, args.accountId])
          .apply(([clusterName, account]) => JSON.stringify(clusterAutoscalerPolicy(clusterName, args.region, account))),
        tags: args.tags,
      },
      { parent: this },
    );
    pinnedChart(
      `${name}-cluster-autoscaler`,
      {
        source: CHARTS.clusterAutoscaler,
        namespace: AUTOSCALING_NAMESPACE,
        values: pulumi
          .all([args.cluster.name, role.arn])
          .apply(([clusterName, roleArn]) => clusterAutoscalerValues({ clusterName, region: args.region, roleArn, eksVersion: args.eksVersion, tier: args.tier })),
      },
      k8sOpts,
    );
    this.registerOutputs({});
  }
}

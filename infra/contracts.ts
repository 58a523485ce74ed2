import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * What the platform components hand each other. Components depend on these shapes,
 * never on each other's classes, so each can be read and tested on its own.
 */

/** Tags every taggable AWS resource carries: project, env (stack) and tier. */
export type Tags = Readonly<Record<string, string>>;

export interface NetworkInfo {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  /** AZ names the VPC spans (subnet groups use all of them). */
  readonly azNames: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  /** Private subnets in every AZ: for subnet groups (EKS, RDS, ElastiCache, MSK). */
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Private subnets where workloads (nodes, single-AZ data) run: the tier's workload AZs. */
  readonly workloadSubnetIds: pulumi.Output<string>[];
}

export interface ClusterInfo {
  readonly name: pulumi.Output<string>;
  /** Kubernetes provider bound to this cluster; every k8s resource uses it. */
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  /** Security group of the worker nodes: data services admit traffic only from it. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** OIDC issuer host/path without scheme, as used in IRSA trust conditions. */
  readonly oidcIssuer: pulumi.Output<string>;
}

/**
 * What a component that only creates Kubernetes objects takes: the provider bound to the cluster and
 * what must exist first. The platform services take `cluster` instead (ChartServiceArgs): most of
 * them also need its OIDC provider, for IRSA.
 */
export interface KubernetesPlacement {
  readonly provider: k8s.Provider;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Kubernetes namespaces per concern; created by the security baseline, referenced by name elsewhere. */
export const NAMESPACES = {
  kafka: "kafka",
  data: "data",
  observability: "observability",
  platform: "platform-system",
  apps: "gamemetrics",
} as const;
export type NamespaceKey = keyof typeof NAMESPACES;

/** The External Secrets ClusterSecretStore backed by AWS Secrets Manager (created by the security baseline). */
export const CLUSTER_SECRET_STORE = "aws-secrets-manager";

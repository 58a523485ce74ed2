import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksProfile } from "../config/sections/eks";
import type { ClusterInfo, NetworkInfo, Tags } from "../contracts";
import { networkingAddons, workloadAddons } from "./addons";
import { managedNodeGroup } from "./node-group";
import { controlPlaneRole } from "./roles";
import { endpointAccess } from "./settings";
import { defaultStorageClass } from "./storage-class";

export interface ClusterArgs {
  readonly profile: EksProfile;
  readonly network: NetworkInfo;
  /** Physical cluster name (`gamemetrics-dev`). */
  readonly clusterName: string;
  readonly tags: Tags;
}

/**
 * EKS: private-endpoint control plane with KMS-encrypted secrets and access entries, an OIDC
 * provider for IRSA, one managed node group in the workload subnets, the managed add-ons and a
 * default encrypted gp3 StorageClass. Hands later components a Kubernetes provider.
 */
export class Cluster extends pulumi.ComponentResource {
  /** What later components receive: names, provider, node security group, OIDC provider. */
  readonly info: ClusterInfo;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:cluster:Cluster", name, {}, opts);
    const { profile, network, tags } = args;
    const parent = { parent: this };

    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      { description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
      parent,
    );

    const controlPlane = controlPlaneRole(`${name}-control-plane`, secretsKey.arn, tags, parent);

    const cluster = new eks.Cluster(
      name,
      {
        name: args.clusterName,
        version: profile.version,
        serviceRole: controlPlane.role,
        vpcId: network.vpcId,
        // Control-plane ENIs and nodes live in private subnets only; public subnets are for load balancers.
        privateSubnetIds: network.privateSubnetIds,
        ...endpointAccess(profile),
        authenticationMode: eks.AuthenticationMode.Api,
        encryptionConfigKeyArn: secretsKey.arn,
        enabledClusterLogTypes: profile.logTypes,
        createOidcProvider: true,
        deletionProtection: profile.deletionProtection,
        // Out-of-support versions silently cost 6x under EXTENDED support; STANDARD forces the upgrade instead.
        upgradePolicy: { supportType: "STANDARD" },
        skipDefaultNodeGroup: true,
        // Managed nodes use the EKS-created cluster security group; the component's own groups would
        // only add 0.0.0.0/0 egress rules for self-managed nodes we do not run.
        skipDefaultSecurityGroups: true,
        // Add-ons are managed below as aws.eks.Addon, each visible and configurable.
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        tags,
      },
      { parent: this, dependsOn: controlPlane.attached },
    );

    const clusterName = cluster.eksCluster.name;
    const kubeconfig = cluster.kubeconfigJson;
    const oidc = { oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer };

    const addonArgs = { clusterName, oidc, tags, prefixDelegation: profile.prefixDelegation };
    const networking = networkingAddons(name, addonArgs, this);
    const nodes = managedNodeGroup(name, { cluster, profile, subnetIds: network.workloadSubnetIds, tags, after: networking }, this);
    const { coredns, ebsCsi } = workloadAddons(name, addonArgs, this, nodes);

    // Everything deployed through this provider waits for a cluster that can run pods:
    // nodes joined, DNS and volume provisioning in place.
    const provider = new k8s.Provider(name, { kubeconfig }, { parent: this, dependsOn: [nodes, coredns, ebsCsi] });
    defaultStorageClass(`${name}-gp3`, { provider, reclaimPolicy: profile.volumeReclaimPolicy }, parent);

    this.info = {
      name: clusterName,
      provider,
      kubeconfig,
      // With skipDefaultSecurityGroups this is the EKS-created cluster security group, the one managed
      // nodes get when their launch template names none (ours names none).
      nodeSecurityGroupId: cluster.nodeSecurityGroupId,
      ...oidc,
    };
    this.registerOutputs({ name: clusterName, kubeconfig, oidcProviderArn: oidc.oidcProviderArn });
  }
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInfo } from "../contracts";
import { createNamespaces, namespaceName, type PlatformNamespaces } from "./namespaces";
import { networkPolicies } from "./network-policies";
import { createRoles } from "./rbac";

export { NAMESPACE_POLICIES, SYSTEM_NAMESPACES, namespaceName, platformNamespaceKeys, type PlatformNamespaces } from "./namespaces";
export { PUBLIC_API_LABEL, PUBLIC_API_PORT_NAME, WEBHOOK_PORTS, networkPolicies, toPolicySpec, type Allow, type Peer } from "./network-policies";
export { RBAC_GROUPS, wildcardRules } from "./rbac";

export interface SecurityBaselineArgs {
  readonly cluster: Pick<ClusterInfo, "provider">;
  readonly vpcCidr: string;
  readonly meshEnabled: boolean;
  readonly kafkaMode: "strimzi" | "msk";
}

/**
 * Namespaces per concern (pod security labels, mesh injection), default-deny NetworkPolicies with
 * explicit allows in each, and the platform's own RBAC roles.
 */
export class SecurityBaseline extends pulumi.ComponentResource {
  /** The Namespace resources by key: `dependsOn` the one you deploy into. */
  readonly namespaces: PlatformNamespaces;

  constructor(name: string, args: SecurityBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:security:SecurityBaseline", name, {}, opts);
    const provider = args.cluster.provider;
    this.namespaces = createNamespaces(args.meshEnabled, provider, this);

    for (const policy of networkPolicies({ vpcCidr: args.vpcCidr, meshEnabled: args.meshEnabled, kafkaMode: args.kafkaMode })) {
      const namespace = namespaceName(policy.namespaceKey);
      const ns = this.namespaces[policy.namespaceKey];
      new k8s.networking.v1.NetworkPolicy(
        `np-${namespace}-${policy.name}`,
        { metadata: { name: policy.name, namespace }, spec: policy.spec },
        { parent: this, provider, dependsOn: ns === undefined ? [] : [ns] },
      );
    }
    createRoles(provider, this, this.namespaces.apps);
    this.registerOutputs({});
  }
}

import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { PlatformProfile } from "../config/sections/platform";
import { NAMESPACES } from "../contracts";
import { SYSTEM_NAMESPACES } from "../security/namespaces";
import { type ChartServiceArgs, CHARTS, pinnedChart } from "./charts";
import { resourcesFor } from "./sizing";

/**
 * Pods the baseline policies must admit, each for a stated reason: node-exporter reads the host
 * (hostNetwork, hostPID, hostPath, hostPort); the Linkerd CNI DaemonSet installs its plugin on the host.
 * kube-system and Kyverno's own namespace are excluded by Kyverno itself.
 */
export const POLICY_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  "disallow-host-namespaces": [NAMESPACES.observability],
  "disallow-host-path": [NAMESPACES.observability, SYSTEM_NAMESPACES.meshCni],
  "disallow-host-ports": [NAMESPACES.observability],
};

export function policyValues(mode: PlatformProfile["policyMode"]): Record<string, unknown> {
  return {
    podSecurityStandard: "baseline",
    validationFailureAction: mode,
    policyExclude: Object.fromEntries(
      Object.entries(POLICY_EXCEPTIONS).map(([policy, namespaces]) => [policy, { any: [{ resources: { kinds: ["Pod"], namespaces: [...namespaces] } }] }]),
    ),
  };
}

export function kyvernoValues(replicas: number, tier: Tier): Record<string, unknown> {
  const controller = { replicas: 1, resources: resourcesFor("kyvernoController", tier) };
  return {
    admissionController: { replicas, container: { resources: resourcesFor("kyvernoAdmission", tier) } },
    backgroundController: controller,
    cleanupController: controller,
    reportsController: controller,
  };
}

export type AdmissionPolicyArgs = ChartServiceArgs<PlatformProfile>;

/** Kyverno with the Pod Security Standards baseline policies: enforce in production, audit on free. */
export class AdmissionPolicy extends pulumi.ComponentResource {
  constructor(name: string, args: AdmissionPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:AdmissionPolicy", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.cluster.provider };
    const kyverno = pinnedChart(
      name,
      { source: CHARTS.kyverno, namespace: SYSTEM_NAMESPACES.policy, values: kyvernoValues(args.profile.policyReplicas, args.tier) },
      { ...k8sOpts, dependsOn: args.dependsOn },
    );
    pinnedChart(
      `${name}-policies`,
      { source: CHARTS.kyvernoPolicies, namespace: SYSTEM_NAMESPACES.policy, values: policyValues(args.profile.policyMode) },
      { ...k8sOpts, dependsOn: [kyverno] },
    );
    this.registerOutputs({});
  }
}
